using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>How long bpftrace may take to load a program and to stop it, scaled to the number of probes it attaches.
/// Measured here (bpftrace 0.17, kernel 6.18): 300 tracepoints attach in 0.7 s but take about 22 s to detach — after
/// SIGINT and after SIGKILL alike, because the kernel releases each perf event in turn (about 75 ms each).</summary>
public sealed record LoadBudget(int Probes, TimeSpan Load, TimeSpan Detach)
{
    /// <summary>Probes assumed for a wildcard the catalog cannot count (no catalog, or a probe type it does not list).</summary>
    public const int UncountedWildcard = 50;

    private static readonly TimeSpan BaseLoad = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LoadPerProbe = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan BaseDetach = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DetachPerProbe = TimeSpan.FromMilliseconds(150);

    /// <summary>The budget for a program; <paramref name="loadTimeout"/> (the user's <c>--timeout</c>) replaces the load part.</summary>
    public static LoadBudget For(BpftraceProgram program, ProbeCatalog? catalog, TimeSpan? loadTimeout = null)
    {
        var probes = program.Probes.SelectMany(p => p.AttachPoints).Sum(a => Count(a, catalog));
        return new LoadBudget(probes, loadTimeout ?? BaseLoad + LoadPerProbe * probes, BaseDetach + DetachPerProbe * probes);
    }

    private static int Count(AttachPoint point, ProbeCatalog? catalog)
    {
        if (!point.HasWildcard)
        {
            return 1;
        }

        if (point.Type == ProbeType.Tracepoint && catalog is not null && point.Parts.Length >= 2)
        {
            return Math.Max(1, catalog.MatchTracepoints(point.Parts[^2], point.Parts[^1]).Count());
        }

        return UncountedWildcard;
    }
}
