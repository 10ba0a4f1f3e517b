using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Runner;

/// <summary>Real runs: maps come back as typed data, runs stop for the right reason, nothing stays loaded.</summary>
[Collection(KernelCollection.Name)]
public sealed class ProgramRunnerTests
{
    private static RunResult Run(string text, RunOptions? options = null) => ProgramRunner.Run(BpftraceParser.Parse(text, "run.bt"), options);

    [BpftraceFact]
    public void Syscall_count_with_a_workload_contains_the_workloads_process()
    {
        var result = Run("tracepoint:raw_syscalls:sys_enter { @calls[comm] = count(); }\n",
            new RunOptions(TimeSpan.FromSeconds(10), Workload: "for i in 1 2 3; do cat /etc/hostname; done > /dev/null"));

        Assert.True(result.Succeeded, string.Join('\n', result.Messages));
        Assert.Equal(StopReason.WorkloadExited, result.StoppedBy);
        Assert.Equal(0, result.Workload!.ExitCode);
        var calls = Assert.IsType<MapData.Keyed>(result.Map("@calls")!.Data);
        var cat = Assert.IsType<MapData.Scalar>(calls["cat"]);
        Assert.True(cat.Value >= 3, $"cat made {cat.Value} syscalls");
    }

    [BpftraceFact]
    public void Hist_lhist_stats_avg_and_keyed_maps_parse_into_typed_results()
    {
        // A cat of our own name: another cat running on the machine at the same time must not change the counts.
        using var cat = DistinctProgram.Copy("cat");
        var program = $$"""
            tracepoint:syscalls:sys_enter_openat /comm == "{{cat.Comm}}"/ {
              @opens[comm, pid] = count();
              @h = hist(args->flags);
              @l = lhist(args->flags, 0, 1000000, 100000);
              @s = stats(args->flags);
              @a = avg(args->flags);
              @hk[comm] = hist(args->flags);
              @total = count();
            }
            """;

        var result = Run(program, new RunOptions(TimeSpan.FromSeconds(10), Workload: $"{cat.Path} /etc/hostname /etc/os-release > /dev/null"));

        Assert.True(result.Succeeded, string.Join('\n', result.Messages));
        var total = Assert.IsType<MapData.Scalar>(result.Map("@total")!.Data).Value;
        Assert.True(total >= 1);
        var opens = Assert.IsType<MapData.Keyed>(result.Map("@opens")!.Data);
        var entry = Assert.Single(opens.Entries, e => e.KeyParts[0] == cat.Comm);
        Assert.Equal(2, entry.KeyParts.Length);
        // The copy runs as a child of the workload's shell.
        Assert.True(int.Parse(entry.KeyParts[1], System.Globalization.CultureInfo.InvariantCulture) >= result.Workload!.ProcessId);
        Assert.Equal(total, Assert.IsType<MapData.Histogram>(result.Map("@h")!.Data).Samples);
        var lhist = Assert.IsType<MapData.Histogram>(result.Map("@l")!.Data);
        Assert.Equal(total, lhist.Samples);
        Assert.Equal(0, lhist.Buckets[0].Min);
        var stats = Assert.IsType<MapData.Stats>(result.Map("@s")!.Data);
        Assert.Equal(total, stats.Count);
        Assert.IsType<MapData.Scalar>(result.Map("@a")!.Data);
        var keyedHist = Assert.IsType<MapData.Keyed>(result.Map("@hk")!.Data);
        Assert.IsType<MapData.Histogram>(keyedHist[cat.Comm]);
    }

    [BpftraceFact]
    public void Printf_lines_and_the_event_limit()
    {
        var result = Run("interval:ms:10 { printf(\"tick %d\\n\", 7); }\n", new RunOptions(TimeSpan.FromSeconds(10), MaxEvents: 3));

        Assert.Equal(StopReason.MaxEvents, result.StoppedBy);
        Assert.True(result.Printf.Length >= 3);
        Assert.All(result.Printf, line => Assert.Equal("tick 7\n", line));
    }

    [BpftraceFact]
    public void Program_calling_exit_stops_by_itself_and_end_runs()
    {
        var result = Run("interval:ms:50 { @n = count(); exit(); }\nEND { printf(\"bye\\n\"); }\n", new RunOptions(TimeSpan.FromSeconds(10)));

        Assert.Equal(StopReason.ProgramExited, result.StoppedBy);
        Assert.Contains("bye\n", result.Printf);
        Assert.Equal(1, Assert.IsType<MapData.Scalar>(result.Map("@n")!.Data).Value);
    }

    [BpftraceFact]
    public void Duration_bounds_a_run_and_end_output_still_arrives()
    {
        var result = Run("BEGIN { @start = 1; }\nEND { printf(\"done\\n\"); }\n", new RunOptions(TimeSpan.FromMilliseconds(300)));

        Assert.Equal(StopReason.Duration, result.StoppedBy);
        Assert.True(result.Traced < TimeSpan.FromSeconds(5));
        Assert.Contains("done\n", result.Printf);
        Assert.Equal(0, result.ExitCode);
    }

    [BpftraceFact]
    public void Output_is_bounded()
    {
        var result = Run("interval:ms:1 { printf(\"%s\\n\", \"0123456789012345678901234567890123456789\"); }\n",
            new RunOptions(TimeSpan.FromSeconds(20), OutputLimit: 4096));

        Assert.Equal(StopReason.OutputLimit, result.StoppedBy);
        Assert.True(result.OutputTruncated);
        Assert.True(result.Printf.Sum(p => p.Length) <= 4096);
    }

    [BpftraceFact]
    public void A_rejected_program_does_not_run()
    {
        var result = Run("tracepoint:syscalls:sys_enter_nosuch { @x = count(); }\n");

        Assert.Equal(StopReason.NotStarted, result.StoppedBy);
        Assert.Equal(LoadStage.Semantic, Assert.IsType<LoadVerdict.Rejected>(result.Load).Stage);
        Assert.Empty(result.Maps);
    }

    [BpftoolFact]
    public void No_program_stays_loaded_after_runs_and_killed_loads()
    {
        // Tracepoints nothing else in the suite uses, so their program names identify our runs.
        Run("tracepoint:syscalls:sys_enter_sethostname { @x = count(); }\n", new RunOptions(TimeSpan.FromMilliseconds(200)));
        var timedOut = KernelLoader.Verify(BpftraceParser.Parse(
            "tracepoint:syscalls:sys_enter_setdomainname { $i = 0; while ($i < 100000) { @x[$i] = 1; $i++; } }\n"),
            new VerifyOptions(Timeout: TimeSpan.FromMilliseconds(1500)));

        Assert.Equal(LoadStage.Timeout, Assert.IsType<LoadVerdict.Rejected>(timedOut).Stage);
        var names = BpfPrograms.Names();
        Assert.DoesNotContain(names, n => n.StartsWith("sys_enter_setho", StringComparison.Ordinal) || n.StartsWith("sys_enter_setdo", StringComparison.Ordinal));
    }
}
