using System.Diagnostics;
using System.Text.Json;
using Kgent.Cli;
using Kgent.Cli.Output;

using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kgent-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void Parse_reports_each_file_and_ends_with_the_count()
    {
        var good = Write("good.bt", "BEGIN { printf(\"hi\\n\"); }\n");
        var bad = Write("bad.bt", "BEGIN {\n  $a = 1\n  $b = 2;\n}\n");

        var (code, output, _) = Run("parse", good, bad);

        Assert.Equal(1, code);
        Assert.Contains($"{bad}:2:9: error KG1102: expected ';' after this statement", output, StringComparison.Ordinal);
        Assert.Equal("parsed 1/2 files", output.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void Parse_exits_zero_when_every_file_parses()
    {
        var (code, output, _) = Run("parse", Write("a.bt", "BEGIN { }"), Write("b.bt", "END { }"));

        Assert.Equal(0, code);
        Assert.Equal("parsed 2/2 files\n", output);
    }

    [Fact]
    public void Parse_json_gives_every_diagnostic_field()
    {
        var bad = Write("bad.bt", "kprobee:vfs_read { }\n");

        var (code, output, _) = Run("parse", "--json", bad);

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, json.RootElement.GetProperty("parsed").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt32());
        var diagnostic = json.RootElement.GetProperty("files")[0].GetProperty("diagnostics")[0];
        Assert.Equal(bad, diagnostic.GetProperty("path").GetString());
        Assert.Equal(1, diagnostic.GetProperty("line").GetInt32());
        Assert.Equal(1, diagnostic.GetProperty("column").GetInt32());
        Assert.Equal("KG1201", diagnostic.GetProperty("code").GetString());
        Assert.Equal("error", diagnostic.GetProperty("severity").GetString());
        Assert.Equal("unknown probe type 'kprobee'", diagnostic.GetProperty("message").GetString());
        Assert.Equal("did you mean 'kprobe'?", diagnostic.GetProperty("hint").GetString());
    }

    [Fact]
    public void Parse_of_a_missing_file_is_a_clear_error_not_a_crash()
    {
        var (code, output, error) = Run("parse", Path.Combine(_directory, "nope.bt"));

        Assert.Equal(1, code);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
        Assert.Equal("parsed 0/1 files", output.Trim());
    }

    [Fact]
    public void Parse_ast_prints_the_tree()
    {
        var (_, output, _) = Run("parse", "--ast", Write("a.bt", "BEGIN { $a = 1 + 2; }"));
        Assert.Contains("(binary +", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fmt_prints_the_canonical_form()
    {
        var (code, output, _) = Run("fmt", Write("a.bt", "k:f{@[comm]=count()}"));

        Assert.Equal(0, code);
        Assert.Equal("kprobe:f\n{\n  @[comm] = count();\n}\n", output);
    }

    [Fact]
    public void Fmt_refuses_a_broken_program_and_shows_why()
    {
        var (code, output, error) = Run("fmt", Write("bad.bt", "BEGIN { prinft(1); }"));

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("KG1107", error, StringComparison.Ordinal);
        Assert.Contains("not formatting", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fmt_write_replaces_the_file_and_leaves_no_temporary()
    {
        var path = Write("a.bt", "BEGIN{exit()}");

        var (code, output, _) = Run("fmt", "--write", path);

        Assert.Equal(0, code);
        Assert.Empty(output);
        Assert.Equal("BEGIN\n{\n  exit();\n}\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Fmt_json_carries_the_formatted_text()
    {
        var (code, output, _) = Run("fmt", "--json", Write("a.bt", "END{exit()}"));

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("END\n{\n  exit();\n}\n", json.RootElement.GetProperty("formatted").GetString());
    }

    [Fact]
    public void Demo_shows_every_stage_it_has()
    {
        var (code, output, _) = Run("demo");

        Assert.Equal(0, code);
        Assert.Contains("tracepoint:sock:inet_sock_set_state", output, StringComparison.Ordinal);
        Assert.Contains("2 Kgent annotations", output, StringComparison.Ordinal);
        Assert.Contains("did you mean 'printf'?", output, StringComparison.Ordinal);
        Assert.Contains("did you mean 'kprobe'?", output, StringComparison.Ordinal);
        Assert.Contains("parsed 1/2 files", output, StringComparison.Ordinal);
        Assert.Contains("6. The whole loop", output, StringComparison.Ordinal);
        Assert.Contains("verified program (attempt", output, StringComparison.Ordinal);
        Assert.Matches(@"intent:\s+verified \((\d+) of \1 obligations proved\)", output);
        if (Host.MissingBpftraceReason is null)
        {
            // With bpftrace, the synthesized program really runs and sees the workload's loopback connection attempts.
            Assert.Matches(@"127\.0\.0\.1:\d+ -> 127\.0\.0\.1:4242", output);
        }
    }

    [Fact]
    public void Unknown_command_is_a_usage_error()
    {
        var (code, _, error) = Run("frobnicate");
        Assert.NotEqual(0, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void The_kgent_script_runs_the_built_cli()
    {
        var script = Path.Combine(Support.Corpus.RepositoryRoot, "kgent");
        var start = new ProcessStartInfo("bash", [script, "parse", Path.Combine(Support.Corpus.RepositoryRoot, "examples", "tcp_connect.bt")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "./kgent did not finish");

        Assert.True(process.ExitCode == 0, error);
        Assert.Equal("parsed 1/1 files", output.Trim());
    }
}
