using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Run;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>C programs run through libbpf: attached, traced with a workload of this test's own (a copy of cat under a
/// name nothing else on the machine has), detached, and their maps and ring buffer records read into run results. Each
/// program's entry is renamed for the test, so bpftool shows whether this test's program is still attached.</summary>
[Collection(KernelCollection.Name)]
public sealed class CProgramRunnerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-c-run-").FullName;
    private readonly string command;

    public CProgramRunnerTests()
    {
        command = "kg" + Guid.NewGuid().ToString("N")[..10];
        File.Copy("/bin/cat", Path.Combine(directory, command));
        File.SetUnixFileMode(Path.Combine(directory, command), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Workload => $"{Path.Combine(directory, command)} /etc/hostname > /dev/null";

    [LibbpfFact]
    public void Hash_map_counts_the_workloads_own_opens()
    {
        using var build = Build("opens-by-comm.bpf.c", out _);

        var result = CProgramRunner.Run(build, new RunOptions(TimeSpan.FromSeconds(20), Workload: Workload));

        Assert.True(result.Succeeded, string.Join('\n', result.Messages) + result.Load);
        Assert.Equal(StopReason.WorkloadExited, result.StoppedBy);
        var opens = Assert.IsType<MapData.Keyed>(result.Map("opens")!.Data);
        var mine = Assert.IsType<MapData.Scalar>(opens[command]);
        Assert.True(mine.Value >= 1);
        Assert.Equal([command], opens.Entries.First(e => e.Key == command).KeyParts.ToArray());
    }

    [LibbpfFact]
    public void Ring_buffer_records_are_decoded_with_the_programs_struct()
    {
        using var build = Build("exec-events.bpf.c", out _);

        var result = CProgramRunner.Run(build, new RunOptions(TimeSpan.FromSeconds(20), Workload: Workload));

        Assert.True(result.Succeeded, string.Join('\n', result.Messages) + result.Load);
        var record = Assert.Single(result.Printf, line => line.Contains($"comm={command} ", StringComparison.Ordinal));
        Assert.Matches($@"^pid=\d+ comm={command} filename={Path.Combine(directory, command)}$", record);
    }

    [LibbpfFact]
    public void Max_events_stops_the_run()
    {
        using var build = Build("exec-events.bpf.c", out _);

        var result = CProgramRunner.Run(build, new RunOptions(TimeSpan.FromSeconds(20), MaxEvents: 1, Workload: $"for i in 1 2 3 4 5 6 7 8; do {Workload}; sleep 0.2; done"));

        Assert.Equal(StopReason.MaxEvents, result.StoppedBy);
        Assert.Single(result.Printf);
    }

    [LibbpfFact]
    public void Per_cpu_array_of_one_is_a_value_summed_over_the_cpus_and_an_array_is_keyed_by_index()
    {
        using var switches = Build("switches-raw-tp.bpf.c", out _);
        using var sizes = Build("read-bytes-histogram.bpf.c", out _);

        var counted = CProgramRunner.Run(switches, new RunOptions(TimeSpan.FromSeconds(20), Workload: Workload));
        var histogram = CProgramRunner.Run(sizes, new RunOptions(TimeSpan.FromSeconds(20), Workload: Workload));

        Assert.True(Assert.IsType<MapData.Scalar>(counted.Map("switches")!.Data).Value > 0);
        var buckets = Assert.IsType<MapData.Keyed>(histogram.Map("sizes")!.Data);
        Assert.NotEmpty(buckets.Entries);
        var indexes = buckets.Entries.Select(e => int.Parse(e.Key, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(indexes.Order(), indexes);
    }

    [LibbpfFact]
    public void A_rejected_program_does_not_start()
    {
        using var build = ClangCompiler.Compile(CFixtures.Load("rejected", "lookup-not-null-checked.bpf.c"));

        var result = CProgramRunner.Run(build, new RunOptions(TimeSpan.FromSeconds(5), Workload: Workload));

        Assert.Equal(StopReason.NotStarted, result.StoppedBy);
        Assert.Equal(LoadStage.KernelVerifier, Assert.IsType<LoadVerdict.Rejected>(result.Load).Stage);
        Assert.Null(result.Workload);
    }

    [LibbpfFact]
    public void Attached_while_it_runs_and_gone_after_it_ends()
    {
        using var build = Build("opens-by-comm.bpf.c", out var entry);

        // The workload asks bpftool for the program while it is attached.
        var result = CProgramRunner.Run(build, new RunOptions(TimeSpan.FromSeconds(20), Workload: $"{Workload}; {BpfPrograms.Bpftool} prog show name {entry}"));

        Assert.Contains(entry, result.Workload!.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(entry, BpfPrograms.Names());
    }

    [LibbpfFact]
    public void Gone_after_a_run_that_ends_on_its_duration_with_the_workload_still_running()
    {
        using var build = Build("opens-by-comm.bpf.c", out var entry);

        var result = CProgramRunner.Run(build, new RunOptions(TimeSpan.FromMilliseconds(500), Workload: $"{Workload}; sleep 30"));

        Assert.Equal(StopReason.Duration, result.StoppedBy);
        Assert.True(result.Workload!.TimedOut || result.Workload.ExitCode != 0);
        Assert.DoesNotContain(entry, BpfPrograms.Names());
    }

    [LibbpfFact]
    public void Gone_after_the_kgent_running_it_is_killed()
    {
        var file = Path.Combine(directory, "killed.bpf.c");
        File.WriteAllText(file, CFixtures.Renamed("opens-by-comm.bpf.c", out var entry).Text);
        using var kgent = KgentProcess.Start(["run", file, "--duration", "60s"]);
        var attached = System.Diagnostics.Stopwatch.StartNew();
        while (!BpfPrograms.Names().Contains(entry) && attached.Elapsed < TimeSpan.FromSeconds(60) && !kgent.Process.HasExited)
        {
            Thread.Sleep(100);
        }

        Assert.True(BpfPrograms.Names().Contains(entry), $"never attached: {kgent.Stdout}{kgent.Stderr}");
        kgent.Process.Kill();
        kgent.WaitForExit(TimeSpan.FromSeconds(10));
        var gone = System.Diagnostics.Stopwatch.StartNew();
        while (BpfPrograms.Names().Contains(entry) && gone.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(100);
        }

        Assert.DoesNotContain(entry, BpfPrograms.Names());
    }

    private static CBuild Build(string fixture, out string entry)
    {
        var build = ClangCompiler.Compile(CFixtures.Renamed(fixture, out entry));
        Assert.True(build.Succeeded, build.Problem + string.Join('\n', build.Diagnostics.Select(d => d.Message)));
        return build;
    }
}
