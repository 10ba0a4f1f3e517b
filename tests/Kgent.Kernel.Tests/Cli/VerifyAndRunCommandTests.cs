using System.Text.Json;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Cli;

/// <summary><c>kgent verify</c>, <c>kgent run</c> and <c>kgent doctor</c>, in-process, against the real kernel.</summary>
[Collection(KernelCollection.Name)]
public sealed class VerifyAndRunCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-cli-kernel-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Program(string text)
    {
        var path = Path.Combine(directory, $"p{Guid.NewGuid():N}.bt");
        File.WriteAllText(path, text);
        return path;
    }

    [BpftraceFact]
    public void Verify_accepts_and_reports_the_load_time()
    {
        var (code, output, _) = CliHarness.Run("verify", Program("tracepoint:syscalls:sys_enter_openat { @x = count(); }\n"));

        Assert.Equal(0, code);
        Assert.Matches(@"accepted by the kernel verifier: 1 attach point loaded and attached in \d+ ms, then detached", output);
    }

    [BpftraceFact]
    public void Verify_json_names_the_stage_and_the_verifier_message()
    {
        var (code, output, _) = CliHarness.Run("verify", Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "kernel-verifier", "infinite_loop.bt"), "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("accepted").GetBoolean());
        Assert.Equal("kernel-verifier", json.RootElement.GetProperty("stage").GetString());
        Assert.Equal("infinite loop detected at insn 0", json.RootElement.GetProperty("verifierMessage").GetString());
        Assert.Equal("0: (05) goto pc-1", json.RootElement.GetProperty("instruction").GetString());
        Assert.StartsWith("Kernel verifier stage (kernel-verifier) at line 3:", json.RootElement.GetProperty("feedback").GetString(), StringComparison.Ordinal);
    }

    [BpftraceFact]
    public void Run_with_workload_prints_the_map()
    {
        var (code, output, _) = CliHarness.Run("run", Program("tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }\n"),
            "--duration", "10s", "--workload", "cat /etc/hostname > /dev/null");

        Assert.Equal(0, code);
        Assert.Matches(@"@opens\[cat\]: \d+", output);
        Assert.Contains("stopped by the workload's exit", output, StringComparison.Ordinal);
    }

    [BpftraceFact]
    public void Run_json_reports_maps_as_data()
    {
        var (code, output, _) = CliHarness.Run("run", Program("BEGIN { @n = 42; printf(\"hi\\n\"); exit(); }\n"), "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("ProgramExited", json.RootElement.GetProperty("stoppedBy").GetString());
        Assert.Equal("hi\n", json.RootElement.GetProperty("printf")[0].GetString());
        Assert.Equal(42, json.RootElement.GetProperty("maps").GetProperty("@n").GetProperty("value").GetInt64());
    }

    [Fact]
    public void Run_rejects_bad_options()
    {
        var (code, _, error) = CliHarness.Run("run", Program("BEGIN { exit(); }\n"), "--duration", "soon");
        Assert.Equal(2, code);
        Assert.Contains("--duration 'soon' is not a duration", error, StringComparison.Ordinal);

        (code, _, error) = CliHarness.Run("run", Program("BEGIN { exit(); }\n"), "--max-events", "0");
        Assert.Equal(2, code);
    }

    [Fact]
    public void Unsafe_program_is_refused_without_running()
    {
        var (code, output, _) = CliHarness.Run("run", Program("BEGIN { system(\"touch /tmp/kgent-should-not-exist\"); exit(); }\n"));

        Assert.Equal(1, code);
        Assert.Contains("error KG6009", output, StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/kgent-should-not-exist"));
    }

    [BpftraceFact]
    public void Doctor_reports_every_requirement()
    {
        var (code, output, _) = CliHarness.Run("doctor");

        Assert.Equal(0, code);
        foreach (var name in new[] { "bpftrace", "privileges", "tracefs", "debugfs", "kernel BTF", "kernel lockdown", "Z3 (symbolic verifier)" })
        {
            Assert.Contains(name, output, StringComparison.Ordinal);
        }
    }
}
