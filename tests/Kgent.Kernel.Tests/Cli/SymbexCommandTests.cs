using System.Text.Json;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Cli;

/// <summary><c>kgent symbex</c>, <c>kgent strip</c> and <c>kgent contracts</c>, run in-process.</summary>
public sealed class SymbexCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-symbex-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Raw_port_case_study_is_refuted_with_a_readable_counterexample()
    {
        var (code, output, _) = CliHarness.Run("symbex", SymbolicCases.CaseStudy("tcp_connect_raw_port.annotated.bt"), "--catalog", Catalogs.SnapshotPath,
            "--contracts", SymbolicCases.ContractsDirectory);

        Assert.Equal(1, code);
        Assert.Contains("error KG4001: assertion can fail in kprobe:tcp_connect: $dport = 0x", output, StringComparison.Ordinal);
        Assert.Matches(@"ntohs\(\$sk->__sk_common\.skc_dport\) = 0x[0-9a-f]+ \(\d+\)", output);
        Assert.Contains("network byte order", output, StringComparison.Ordinal);
        Assert.Contains("^~~~", output, StringComparison.Ordinal);
        Assert.Contains("1 counterexample", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrected_case_study_is_verified_and_exits_zero()
    {
        var (code, output, _) = CliHarness.Run("symbex", SymbolicCases.CaseStudy("inet_sock_set_state.annotated.bt"), "--catalog", Catalogs.SnapshotPath,
            "--contracts", SymbolicCases.ContractsDirectory);

        Assert.Equal(0, code);
        Assert.Contains(":13:3: verified: assert(", output, StringComparison.Ordinal);
        Assert.Contains("contracts: tracepoint sock:inet_sock_set_state", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_report_and_smt2_files()
    {
        var smt2 = Path.Combine(directory, "smt2");
        var (code, output, _) = CliHarness.Run("symbex", SymbolicCases.CaseStudy("tcp_connect_raw_port.annotated.bt"), "--catalog", Catalogs.SnapshotPath,
            "--contracts", SymbolicCases.ContractsDirectory, "--smt2", smt2, "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("counterexample", json.RootElement.GetProperty("verdict").GetString());
        var assertion = json.RootElement.GetProperty("assertions")[0];
        Assert.Equal(13, assertion.GetProperty("line").GetInt32());
        Assert.Contains("but", assertion.GetProperty("detail").GetProperty("explanation").GetString(), StringComparison.Ordinal);
        var query = json.RootElement.GetProperty("queries")[0];
        Assert.Equal("sat", query.GetProperty("answer").GetString());
        Assert.True(File.Exists(query.GetProperty("smt2").GetString()));
    }

    [Fact]
    public void Syntax_error_and_missing_file_exit_two_with_a_message()
    {
        var broken = Path.Combine(directory, "broken.bt");
        File.WriteAllText(broken, "BEGIN { assert(1 == ); }\n");

        var (code, _, error) = CliHarness.Run("symbex", broken, "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(2, code);
        Assert.Contains("broken.bt:1:", error, StringComparison.Ordinal);

        (code, _, error) = CliHarness.Run("symbex", Path.Combine(directory, "missing.bt"), "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(2, code);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Loop_bound_option_decides_between_unknown_and_verified()
    {
        var file = Path.Combine(directory, "loop.bt");
        File.WriteAllText(file, "tracepoint:syscalls:sys_enter_read /args->count < 12/ {\n  $i = 0;\n  while ($i < args->count) { $i++; }\n  assert($i == args->count);\n}\n");

        var (code, output, _) = CliHarness.Run("symbex", file, "--catalog", Catalogs.SnapshotPath, "--contracts", SymbolicCases.ContractsDirectory);
        Assert.Equal(1, code);
        Assert.Contains("warning KG4002: assertion not proved", output, StringComparison.Ordinal);

        (code, output, _) = CliHarness.Run("symbex", file, "--catalog", Catalogs.SnapshotPath, "--contracts", SymbolicCases.ContractsDirectory, "--loop-bound", "12");
        Assert.Equal(0, code);
        Assert.Contains("verified: assert($i == args->count)", output, StringComparison.Ordinal);

        (code, _, var error) = CliHarness.Run("symbex", file, "--catalog", Catalogs.SnapshotPath, "--timeout", "0");
        Assert.Equal(2, code);
        Assert.Contains("--timeout 0 is out of range: give 1 to 600,000 milliseconds", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Strip_prints_the_program_without_annotations()
    {
        var (code, output, _) = CliHarness.Run("strip", SymbolicCases.CaseStudy("tcp_connect.annotated.bt"));

        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllText(SymbolicCases.CaseStudy("tcp_connect.bt")), output);
    }

    [Fact]
    public void Strip_keeps_code_that_shares_a_line_with_an_annotation()
    {
        var file = Path.Combine(directory, "inline.bt");
        File.WriteAllText(file, "BEGIN { $x = 1; assert($x == 1); printf(\"%d\\n\", $x); }\n");

        var (code, output, _) = CliHarness.Run("strip", file);

        Assert.Equal(0, code);
        Assert.Equal("BEGIN { $x = 1; printf(\"%d\\n\", $x); }\n", output);
    }

    [Fact]
    public void Contracts_check_passes_and_show_prints_one_contract()
    {
        var (code, output, _) = CliHarness.Run("contracts", "--check", "--catalog", Catalogs.SnapshotPath, "--contracts", SymbolicCases.ContractsDirectory);
        Assert.Equal(0, code);
        Assert.Contains("0 problems (checked against the kernel catalog)", output, StringComparison.Ordinal);

        (code, output, _) = CliHarness.Run("contracts", "tcp_connect", "--contracts", SymbolicCases.ContractsDirectory);
        Assert.Equal(0, code);
        Assert.Contains("pre: sk != 0", output, StringComparison.Ordinal);
        Assert.Contains("applies to: kprobe:tcp_connect, kretprobe:tcp_connect", output, StringComparison.Ordinal);

        (code, _, var error) = CliHarness.Run("contracts", "tcp_conect", "--contracts", SymbolicCases.ContractsDirectory);
        Assert.Equal(1, code);
        Assert.Contains("did you mean 'tcp_connect'?", error, StringComparison.Ordinal);
    }
}
