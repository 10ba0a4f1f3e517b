using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Check;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Native;
using Kgent.Kernel.Libbpf.Objects;
using Kgent.Kernel.Libbpf.Verify;
using Kgent.Kernel.Runner;

namespace Kgent.Kernel.Libbpf.Run;

/// <summary>Runs a compiled C program through libbpf, in this process: load (the kernel verifier), attach every program,
/// start the workload, trace until the duration, the workload's exit, the event limit or the output limit, detach, then read
/// the maps and the ring buffer records into the same <see cref="RunResult"/> bpftrace programs give. Programs, links and
/// maps are file descriptors of this process, so nothing stays attached after it: not after a normal end, not after an
/// error, and not when the process is killed (the kernel closes them).</summary>
public static class CProgramRunner
{
    private static readonly TimeSpan WorkloadGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs the program. <see cref="RunOptions.Loading"/> gives the unsafe helpers allowed and the catalog; its
    /// bpftrace settings do not apply. Cancelling stops tracing as the duration would and says
    /// <see cref="StopReason.Interrupted"/>.</summary>
    public static RunResult Run(CBuild build, RunOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= RunOptions.Default;
        using var capture = LibbpfLog.Begin(LibbpfLog.Info);
        LibbpfObject? loaded;
        LoadVerdict verdict;
        try
        {
            (loaded, verdict) = CKernelLoader.Load(build, new CVerifyOptions(options.Loading.Allowed, options.Loading.Catalog), capture, cancellation);
        }
        catch (OperationCanceledException)
        {
            return NotStarted(new LoadVerdict.Rejected(LoadStage.Interrupted, "interrupted before the program was loaded", null, null, string.Empty));
        }

        if (loaded is null)
        {
            return NotStarted((LoadVerdict.Rejected)verdict);
        }

        using (loaded)
        {
            var bpfObject = build.Object!;
            var links = new List<nint>();
            try
            {
                foreach (var (program, name, section) in loaded.Programs())
                {
                    var link = LibbpfObject.Attach(program, out var error);
                    if (link == 0)
                    {
                        var entry = bpfObject.Programs.FirstOrDefault(p => p.Function == name);
                        return NotStarted(new LoadVerdict.Rejected(LoadStage.Attach,
                            $"{section} could not attach: {Marshal.GetPInvokeErrorMessage(error)}",
                            entry is null ? null : CProgramChecker.SectionSpan(build.Source, entry),
                            "check that this kernel has the hook and can attach its type ('kgent probes' lists them)", string.Join('\n', capture.Lines.TakeLast(20))));
                    }

                    links.Add(link);
                }

                return Trace(build, loaded, (LoadVerdict.Accepted)verdict, options, capture, cancellation, links);
            }
            finally
            {
                foreach (var link in links)
                {
                    LibbpfNative.DestroyLink(link);
                }
            }
        }
    }

    private static RunResult Trace(CBuild build, LibbpfObject loaded, LoadVerdict.Accepted accepted, RunOptions options, LibbpfLog.Capture capture,
        CancellationToken cancellation, List<nint> links)
    {
        var bpfObject = build.Object!;
        var rings = loaded.Maps().Where(m => m.Type == BpfMapDefinition.RingBuffer).Select(m => (m.Name, m.Fd)).ToList();
        using var events = RingBufferEvents.Open(rings, bpfObject.Btf, options.OutputLimit);
        var traced = Stopwatch.StartNew();
        string? workloadProblem = null;
        using var workload = options.Workload is { } shell ? Workload.Start(shell, out workloadProblem) : null;
        var stoppedBy = StopReason.Duration;
        while (true)
        {
            events?.Poll(20);
            if (events is null)
            {
                Thread.Sleep(20);
            }

            if (events is not null && options.MaxEvents is { } most && events.Count >= most)
            {
                stoppedBy = StopReason.MaxEvents;
                break;
            }

            if (events is { Truncated: true })
            {
                stoppedBy = StopReason.OutputLimit;
                break;
            }

            if (cancellation.IsCancellationRequested)
            {
                stoppedBy = StopReason.Interrupted;
                break;
            }

            if (workload is { HasExited: true })
            {
                // The workload's last events are still on their way into the ring buffer.
                Thread.Sleep(WorkloadGrace);
                stoppedBy = StopReason.WorkloadExited;
                break;
            }

            if (traced.Elapsed >= options.TraceDuration)
            {
                break;
            }
        }

        var workloadResult = workload?.Finish(workload.HasExited ? TimeSpan.FromSeconds(1) : TimeSpan.Zero);
        foreach (var link in links)
        {
            LibbpfNative.DestroyLink(link);
        }

        links.Clear();
        events?.Poll(0);
        traced.Stop();
        var (maps, notes) = MapReader.Read(loaded, bpfObject);
        var lines = events?.Lines ?? [];
        var shown = options.MaxEvents is { } limit ? lines.Take(limit) : lines;
        ImmutableArray<string> messages = [.. capture.Lines.Where(l => l.Length > 0), .. events?.Problems ?? [], .. notes,
            .. workloadProblem is null ? Array.Empty<string>() : [workloadProblem]];
        return new RunResult(accepted, stoppedBy, traced.Elapsed, [.. shown], maps, [], messages, events?.Truncated ?? false, workloadResult, 0);
    }

    private static RunResult NotStarted(LoadVerdict.Rejected rejected) =>
        new(rejected, StopReason.NotStarted, TimeSpan.Zero, [], [], [], [], false, null, null);
}
