using System.Diagnostics;
using Kgent.Kernel.Processes;
using Kgent.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Kgent.Kernel.Tests.Processes;

/// <summary>Nothing left behind: <c>kgent run</c>, <c>verify</c>, <c>synth</c> and <c>eval</c> get SIGKILL, SIGTERM or
/// SIGINT at a random moment, and within 2 s no process they started (bpftrace, its guard, a workload and what the
/// workload started, even in a session of its own) still runs and no BPF program they loaded is still in the kernel.
/// Both are checked by identity — the descendants' pids and start times, the bpftrace processes' prog_id handles — seen
/// from outside while the command ran, so other tests' programs and processes do not count. The seed and the moment are
/// printed, so a failure can be replayed.</summary>
[Collection(KernelCollection.Name)]
public sealed class KillTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-kill-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [BpftoolTheory]
    [InlineData("run", 9)]
    [InlineData("run", 15)]
    [InlineData("run", 2)]
    [InlineData("verify", 9)]
    [InlineData("verify", 15)]
    [InlineData("verify", 2)]
    [InlineData("synth", 9)]
    [InlineData("synth", 15)]
    [InlineData("synth", 2)]
    [InlineData("eval", 9)]
    [InlineData("eval", 15)]
    [InlineData("eval", 2)]
    public void Nothing_it_started_survives_a_signal_at_a_random_moment(string command, int signal)
    {
        using var sleep = DistinctProgram.Copy("sleep");
        var program = Path.Combine(directory, "opens.bt");
        File.WriteAllText(program, $"tracepoint:syscalls:sys_enter_openat /comm == \"{sleep.Comm}\"/ {{ @opens[comm] = count(); }}\n");
        // The workload leaves a grandchild in a session of its own, the way a daemon would.
        var workload = $"setsid {sleep.Path} 31 & {sleep.Path} 30";
        var (arguments, earliest, latest) = command switch
        {
            "run" => (new[] { "run", program, "--duration", "20s", "--workload", workload }, 0.3, 3.0),
            "verify" => (new[] { "verify", program }, 0.2, 1.5),
            "synth" => (new[] { "synth", "count file opens by process", "--model", "offline", "--store", Path.Combine(directory, "store.db") }, 0.3, 1.6),
            _ => (new[] { "eval", "--suite", Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "eval"), "--only", "files-open-paths", "--configs", "kgent",
                "--model", "offline", "--out", Path.Combine(directory, "eval") }, 0.5, 3.2),
        };
        var seed = Environment.TickCount;
        var at = TimeSpan.FromSeconds(earliest + new Random(seed).NextDouble() * (latest - earliest));
        output.WriteLine($"kgent {command}: signal {signal} at {at.TotalSeconds:F2} s (seed {seed})");

        using var kgent = KgentProcess.Start(arguments, new Dictionary<string, string?> { ["KGENT_RUN_DIR"] = Path.Combine(directory, "run") });
        var tree = new ProcessTree(kgent.Pid);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < at && !kgent.Process.HasExited)
        {
            tree.Poll();
            Thread.Sleep(10);
        }

        tree.Poll();
        var sent = PosixSignals.Send(kgent.Pid, signal);
        var signalled = Stopwatch.StartNew();
        IReadOnlyList<string> survivors;
        IReadOnlyList<int> loaded;
        do
        {
            survivors = [.. tree.Survivors(), .. Stray(sleep.Comm)];
            loaded = tree.LoadedPrograms();
            if (survivors.Count == 0 && loaded.Count == 0)
            {
                break;
            }

            Thread.Sleep(50);
        }
        while (signalled.Elapsed < Deadline);

        output.WriteLine($"signal {(sent ? "sent" : "not sent: kgent had already exited")}; {tree.Descendants.Count} descendants seen " +
            $"({string.Join(", ", tree.Descendants.Values.Distinct())}), {tree.ProgramIds.Count} BPF programs; all gone after {signalled.Elapsed.TotalSeconds:F2} s");
        Assert.True(survivors.Count == 0, $"still running {Deadline.TotalSeconds} s after signal {signal}: {string.Join("; ", survivors)}\n{kgent.Stderr}");
        Assert.True(loaded.Count == 0, $"still loaded {Deadline.TotalSeconds} s after signal {signal}: BPF programs {string.Join(", ", loaded)}");

        Assert.True(kgent.WaitForExit(TimeSpan.FromSeconds(30)), "kgent did not exit after the signal");
        if (sent && signal != 9 && clock.Elapsed > TimeSpan.FromSeconds(1))
        {
            // A caught signal is a clean stop: the shell's code for it, or the command's own if it had just finished.
            Assert.True(kgent.Process.ExitCode is 130 or 143 or 0 or 1, $"exit {kgent.Process.ExitCode}\n{kgent.Stderr}");
            Assert.DoesNotContain("Unhandled exception", kgent.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>Processes with the workload's distinctive name, wherever they were reparented.</summary>
    private static IEnumerable<string> Stray(string comm) =>
        ProcStat.All().Where(p => p.Command == comm && p.State is not ('Z' or 'X')).Select(p => $"{p.Pid} {p.Command} (stray)");
}
