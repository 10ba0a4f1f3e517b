using Kgent.Kernel.KernelVerifier;

namespace Kgent.Kernel.Runner;

/// <summary>How to run a program.</summary>
/// <param name="Duration">How long to trace (without a workload), or the most a workload may take; default 5 s.</param>
/// <param name="MaxEvents">Stop after this many printf events.</param>
/// <param name="Workload">A shell command run once all probes are attached (e.g. <c>cat /etc/hostname</c>); tracing
/// stops shortly after it exits, so a run is reproducible.</param>
/// <param name="OutputLimit">Most bytes of bpftrace output kept; the run stops when it is reached.</param>
/// <param name="Verify">Loading options (unsafe policy, load timeout, bpftrace path, command prefix).</param>
public sealed record RunOptions(
    TimeSpan? Duration = null,
    int? MaxEvents = null,
    string? Workload = null,
    long OutputLimit = 1 << 20,
    VerifyOptions? Verify = null)
{
    public static RunOptions Default { get; } = new();

    public TimeSpan TraceDuration => Duration ?? TimeSpan.FromSeconds(5);

    public VerifyOptions Loading => Verify ?? VerifyOptions.Default;
}
