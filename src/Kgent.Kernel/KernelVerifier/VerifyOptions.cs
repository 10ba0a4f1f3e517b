using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>Knobs of the kernel verifier stage.</summary>
/// <param name="Allowed">The unsafe builtins the user allowed by name (<see cref="Safety.SafetyPolicy"/>); bpftrace gets
/// <c>--unsafe</c> only when one of them needs it.</param>
/// <param name="Timeout">How long loading may take before it counts as a timeout; default 30 s plus 0.1 s a probe (see
/// <see cref="LoadBudget"/>: a large program can keep the kernel verifier busy for seconds).</param>
/// <param name="Catalog">The probe catalog, used to suggest tracepoints when kprobes cannot attach.</param>
/// <param name="BpftracePath">Use this bpftrace instead of the one <c>KGENT_BPFTRACE</c> or PATH gives: a path, or a command
/// line such as <c>chroot /srv/sid bpftrace</c> (<see cref="KernelInfo.Host.Bpftrace.BpftraceInstallation"/>).</param>
/// <param name="CommandPrefix">Run bpftrace through this command (e.g. <c>setpriv …</c> to drop privileges in a test).</param>
/// <param name="FetchVerifierLog">On a kernel-verifier rejection, load once more with <c>-v</c> to read the verifier's log.</param>
public sealed record VerifyOptions(
    Safety.SafetyAllowance? Allowed = null,
    TimeSpan? Timeout = null,
    ProbeCatalog? Catalog = null,
    string? BpftracePath = null,
    IReadOnlyList<string>? CommandPrefix = null,
    bool FetchVerifierLog = true)
{
    public static VerifyOptions Default { get; } = new();

    /// <summary>The bpftrace these options choose, or null with the reason.</summary>
    public KernelInfo.Host.Bpftrace.BpftraceInstallation? Installation(out string? problem) =>
        KernelInfo.Host.Bpftrace.BpftraceInstallation.Resolve(BpftracePath, out problem);
}
