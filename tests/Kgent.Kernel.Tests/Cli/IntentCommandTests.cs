using System.Text.Json;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Cli;

/// <summary><c>kgent intent</c> and <c>kgent symbex --request | --spec</c>, in-process: the specification printed and as
/// JSON, and the intent check's verdicts with their exit codes (0 only for verified, 1 for refuted, unknown or nothing
/// to prove, 2 for errors).</summary>
public sealed class IntentCommandTests : IDisposable
{
    private const string Request = "Show failed openat calls with the process name and the error number.";
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-intent-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Output, string Error) Symbex(params string[] args) =>
        CliHarness.Run(["symbex", .. args, "--catalog", Catalogs.SnapshotPath, "--contracts", SymbolicCases.ContractsDirectory]);

    [Fact]
    public void Intent_prints_each_item_with_its_request_words()
    {
        var (code, output, _) = CliHarness.Run("intent", Request, "--catalog", Catalogs.SnapshotPath);

        Assert.Equal(0, code);
        Assert.Matches(@"event\s+file open: tracepoint:syscalls:sys_exit_openat \(required\)", output);
        Assert.Matches(@"filter\s+failure \(""failed""\)", output);
        Assert.Matches(@"field\s+error number \(""error number""\)", output);
    }

    [Fact]
    public void Intent_json_reads_back_as_a_specification()
    {
        var (code, output, _) = CliHarness.Run("intent", Request, "--catalog", Catalogs.SnapshotPath, "--json");

        Assert.Equal(0, code);
        var spec = Kgent.Kernel.Intent.IntentJson.Read(output, null, "edited", Catalogs.Snapshot, out var problems);
        Assert.Empty(problems);
        Assert.Equal(Request, spec!.Request);
    }

    [Fact]
    public void Intent_of_a_request_with_nothing_to_check_exits_one()
    {
        var (code, output, _) = CliHarness.Run("intent", "make it nice", "--catalog", Catalogs.SnapshotPath);

        Assert.Equal(1, code);
        Assert.Contains("nothing in this request that Kgent can check", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Symbex_request_refutes_a_missing_filter_naming_the_words_and_the_line()
    {
        var program = Write("opens.bt", "tracepoint:syscalls:sys_exit_openat\n{\n  printf(\"%s %d\\n\", comm, args->ret);\n}\n");

        var (code, output, _) = Symbex(program, "--request", Request);

        Assert.Equal(1, code);
        Assert.Contains("opens.bt:3:3: error KG4101: the request asks for failed calls only (args->ret < 0) (\"failed\")", output, StringComparison.Ordinal);
        Assert.Contains("^~~~", output, StringComparison.Ordinal);
        Assert.Contains("refuted:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Symbex_request_verifies_a_correct_program_and_exits_zero()
    {
        var program = Write("opens.bt", "tracepoint:syscalls:sys_exit_openat /args->ret < 0/ { printf(\"%s %d\\n\", comm, -args->ret); }\n");

        var (code, output, _) = Symbex(program, "--request", Request);

        Assert.Equal(0, code);
        Assert.Contains("proved: the request asks for failed calls only (args->ret < 0)", output, StringComparison.Ordinal);
        Assert.Matches(@"opens\.bt: verified: \d+ obligations \(\d+ proved\)", output);
    }

    [Fact]
    public void Symbex_request_json_lists_every_obligation()
    {
        var program = Write("opens.bt", "tracepoint:syscalls:sys_exit_openat /args->ret >= 0/ { printf(\"%s %d\\n\", comm, args->ret); }\n");

        var (code, output, _) = Symbex(program, "--request", Request, "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("refuted", json.RootElement.GetProperty("verdict").GetString());
        var filter = json.RootElement.GetProperty("obligations").EnumerateArray().Single(o => o.GetProperty("kind").GetString() == "filter");
        Assert.Equal("refuted", filter.GetProperty("outcome").GetString());
        Assert.Equal(1, filter.GetProperty("line").GetInt32());
        Assert.Equal("failed", filter.GetProperty("words").GetString());
        Assert.NotEmpty(filter.GetProperty("witness").EnumerateArray());
    }

    [Fact]
    public void Symbex_without_assertions_or_request_has_nothing_to_prove_and_exits_one()
    {
        var program = Write("plain.bt", "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }\n");

        var (code, output, _) = Symbex(program);

        Assert.Equal(1, code);
        Assert.Contains("nothing to prove", output, StringComparison.Ordinal);
        Assert.DoesNotContain(": verified", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Symbex_refuses_a_program_with_semantic_errors_and_shows_them()
    {
        var program = Write("bad.bt", "tracepoint:syscalls:sys_exit_openat /args->rett < 0/ { printf(\"%d\\n\", args->ret); }\n");

        var (code, _, error) = Symbex(program, "--request", Request);

        Assert.Equal(2, code);
        Assert.Contains("error KG2201", error, StringComparison.Ordinal);
        Assert.Contains("fix them before symbolic verification", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edited_specification_changes_what_is_checked()
    {
        var program = Write("opens.bt", "tracepoint:syscalls:sys_exit_openat { printf(\"%s %d\\n\", comm, args->ret); }\n");
        var (_, json, _) = CliHarness.Run("intent", Request, "--catalog", Catalogs.SnapshotPath, "--json");

        // Drop the failure filter from the specification: the same program is now verified.
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        node["filters"] = new System.Text.Json.Nodes.JsonArray();
        var spec = Write("spec.json", node.ToJsonString());
        var (code, output, _) = Symbex(program, "--spec", spec);

        Assert.Equal(0, code);
        Assert.Contains("edited specification", output, StringComparison.Ordinal);

        // A broken edit is an error naming the member.
        var broken = Write("broken.json", "{ \"filters\": [ { \"kind\": \"sometimes\" } ] }");
        var (brokenCode, _, brokenError) = Symbex(program, "--spec", broken);
        Assert.Equal(2, brokenCode);
        Assert.Contains("$.filters[0]", brokenError, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_and_spec_together_and_an_empty_request_are_errors()
    {
        var program = Write("opens.bt", "tracepoint:syscalls:sys_exit_openat { printf(\"%d\\n\", args->ret); }\n");

        Assert.Equal(2, Symbex(program, "--request", Request, "--spec", program).Code);
        var (code, _, error) = Symbex(program, "--request", "  ");
        Assert.Equal(2, code);
        Assert.Contains("--request is empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_suite_command_reports_every_program_as_expected()
    {
        var (code, output, _) = CliHarness.Run("intent", "--suite", Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "intent"), "--catalog", Catalogs.SnapshotPath,
            "--contracts", SymbolicCases.ContractsDirectory);

        Assert.Equal(0, code);
        Assert.Matches(@"(\d+) programs in 7 categories: \1 as expected, 0 false alarms, 0 wrong programs verified", output);
    }
}
