using System.Collections.Immutable;
using System.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.KernelVerifier;

namespace Kgent.Kernel.Runner;

/// <summary>Runs a program for real with bpftrace's JSON output and returns typed results: printf lines and every map as
/// data. Tracing starts when all probes are attached; the workload (if any) starts then; the run stops on the duration,
/// the workload's exit, the event limit or the output limit, with SIGINT so END blocks run and maps are printed (SIGTERM
/// if the signal is lost, SIGKILL to the process group as the last resort). Never passes <c>--unsafe</c>.</summary>
public static class ProgramRunner
{
    private static readonly TimeSpan WorkloadGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs the program. Cancelling stops tracing as the duration would (END runs, maps are printed) and the
    /// result says <see cref="StopReason.Interrupted"/>; cancelling before the probes are attached kills bpftrace.</summary>
    public static RunResult Run(ParseResult program, RunOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= RunOptions.Default;
        var loading = options.Loading;
        if (KernelLoader.Precheck(program, loading) is { } refused)
        {
            return NotStarted(refused);
        }

        var budget = LoadBudget.For(program.Program, loading.Catalog, loading.Timeout);
        var bpftrace = loading.Installation(out _)!;
        using var command = BpftraceCommand.Create(program, bpftrace);
        var (executable, arguments) = KernelLoader.CommandLine(bpftrace, command.FileForBpftrace, loading,
            [.. bpftrace.HasLineBuffering ? ["-B", "line"] : Array.Empty<string>(), "-f", "json"], program);
        using var process = BpftraceProcess.Start(executable, arguments, options.OutputLimit, command.Directory, out var problem);
        if (process is null)
        {
            return NotStarted(new LoadVerdict.Rejected(LoadStage.ToolMissing, problem!, null, "check that bpftrace runs: bpftrace --version", string.Empty));
        }

        var printfEvents = 0;
        using var enoughEvents = new ManualResetEventSlim();
        process.StdoutLine += line =>
        {
            if (line.StartsWith("{\"type\": \"printf\"", StringComparison.Ordinal) && Interlocked.Increment(ref printfEvents) >= (options.MaxEvents ?? int.MaxValue))
            {
                enoughEvents.Set();
            }
        };

        if (!process.WaitForAttach(budget.Load, cancellation))
        {
            var stillLoading = !process.HasExited;
            process.Kill();
            if (cancellation.IsCancellationRequested)
            {
                return NotStarted(new LoadVerdict.Rejected(LoadStage.Interrupted, "interrupted before every probe was attached; bpftrace was stopped",
                    null, null, string.Join('\n', process.Stderr)));
            }

            if (stillLoading)
            {
                return NotStarted(KernelLoader.TimedOut(budget, process.Stderr));
            }

            // bpftrace stopped on its own: classify it the way the verify stage does (which loads once more, with -v when the
            // verifier refused).
            return NotStarted(KernelLoader.Verify(program, loading, cancellation) as LoadVerdict.Rejected
                ?? new LoadVerdict.Rejected(LoadStage.Attach, "bpftrace stopped before every probe was attached, although a second load succeeded",
                    null, "run it again", string.Join('\n', process.Stderr)));
        }

        var load = new LoadVerdict.Accepted([.. program.Program.Probes.SelectMany(pr => pr.AttachPoints).Select(a => a.Text)],
            process.AttachedAfter ?? process.Elapsed, [.. process.Stderr.Where(l => l.Contains("WARNING", StringComparison.Ordinal))]);
        var traced = Stopwatch.StartNew();
        string? workloadProblem = null;
        using var workload = options.Workload is { } shell ? Workload.Start(shell, out workloadProblem) : null;
        var stoppedBy = Trace(process, workload, options, enoughEvents, traced, cancellation);
        var workloadResult = workload?.Finish(workload.HasExited ? TimeSpan.FromSeconds(1) : TimeSpan.Zero);
        var killed = process.Stop(budget.Detach);
        process.WaitForExit(budget.Detach);
        traced.Stop();

        var reader = new BpftraceJsonReader(KeyArity(program));
        foreach (var line in process.Stdout)
        {
            reader.Read(line);
        }

        var messages = workloadProblem is null ? process.Stderr.ToImmutableArray() : [.. process.Stderr, workloadProblem];
        return new RunResult(load, killed ? StopReason.Killed : process.OutputTruncated ? StopReason.OutputLimit : stoppedBy, traced.Elapsed,
            [.. reader.Printf], [.. reader.Maps], [.. reader.Other], messages, process.OutputTruncated, workloadResult,
            process.HasExited ? process.ExitCode : null);
    }

    private static StopReason Trace(BpftraceProcess process, Workload? workload, RunOptions options, ManualResetEventSlim enoughEvents, Stopwatch traced,
        CancellationToken cancellation)
    {
        while (true)
        {
            if (enoughEvents.Wait(20))
            {
                return StopReason.MaxEvents;
            }

            if (cancellation.IsCancellationRequested)
            {
                return StopReason.Interrupted;
            }

            if (process.HasExited)
            {
                return StopReason.ProgramExited;
            }

            if (process.OutputTruncated)
            {
                return StopReason.OutputLimit;
            }

            if (workload is { HasExited: true })
            {
                // Let the last events of the workload reach bpftrace's ring buffer before stopping.
                Thread.Sleep(WorkloadGrace);
                return StopReason.WorkloadExited;
            }

            if (traced.Elapsed >= options.TraceDuration)
            {
                return StopReason.Duration;
            }
        }
    }

    private static RunResult NotStarted(LoadVerdict.Rejected rejected) =>
        new(rejected, StopReason.NotStarted, TimeSpan.Zero, [], [], [], [], false, null, rejected.ExitCode);

    /// <summary>How many parts each map's key has (bpftrace prints tuple keys joined by ',').</summary>
    private static Dictionary<string, int> KeyArity(ParseResult program)
    {
        var arity = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var map in program.Program.DescendantNodesAndSelf().OfType<MapExpression>().Where(m => m.Keys.Length > 0))
        {
            var parts = map.Keys.Sum(k => k is TupleExpression tuple ? tuple.Elements.Length : 1);
            arity[map.Name] = Math.Max(arity.GetValueOrDefault(map.Name), parts);
        }

        return arity;
    }
}
