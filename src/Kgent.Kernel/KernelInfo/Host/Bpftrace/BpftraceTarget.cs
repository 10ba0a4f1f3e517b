using Kgent.Kernel.Bpftrace.Language;

namespace Kgent.Kernel.KernelInfo.Host.Bpftrace;

/// <summary>The bpftrace release programs are checked against, and why: <c>--target-version</c> when given, else the
/// release the bpftrace in use reports (<see cref="BpftraceInstallation"/>), else 0.17, Debian bookworm's.</summary>
public sealed record BpftraceTarget(Version Version, string Source, BpftraceInstallation? Installation)
{
    /// <summary>"bpftrace 0.27.1 (from chroot /srv/sid bpftrace --version)".</summary>
    public string Describe() => $"bpftrace {LanguageFeature.Name(Version)} ({Source})";

    /// <summary>Chooses the target. <paramref name="problem"/> is set, and the result null, when
    /// <paramref name="targetVersion"/> is not a release, or when <paramref name="bpftrace"/> names a bpftrace that does
    /// not run; a bpftrace that is simply absent leaves the default target.</summary>
    /// <param name="recorded">The bpftrace version a catalog snapshot recorded (<c>v0.23.2</c>): the release of the machine
    /// it describes, used when neither <paramref name="targetVersion"/> nor <paramref name="bpftrace"/> chooses.</param>
    public static BpftraceTarget? Resolve(string? bpftrace, string? targetVersion, out string? problem, string? recorded = null)
    {
        var installation = BpftraceInstallation.Resolve(bpftrace, out var missing);
        var named = bpftrace is { Length: > 0 } || Environment.GetEnvironmentVariable(BpftraceInstallation.EnvironmentVariable) is { Length: > 0 };
        if (installation is null && named)
        {
            problem = missing;
            return null;
        }

        problem = null;
        if (targetVersion is { Length: > 0 })
        {
            if (!LanguageFeatures.TryParseVersion(targetVersion, out var chosen) || chosen < LanguageFeatures.Oldest)
            {
                problem = $"--target-version '{targetVersion}' is not a bpftrace release Kgent knows: give one from {LanguageFeature.Name(LanguageFeatures.Oldest)} on, e.g. 0.23 or 0.27.1";
                return null;
            }

            return new BpftraceTarget(chosen, "--target-version", installation);
        }

        if (!named && recorded is not null && LanguageFeatures.TryParseVersion(recorded, out var fromCatalog))
        {
            return new BpftraceTarget(fromCatalog, $"the kernel catalog's bpftrace {recorded}", installation);
        }

        return installation?.Version is { } version
            ? new BpftraceTarget(version, $"from {installation.Spec} --version", installation)
            : new BpftraceTarget(BpftraceLanguage.DefaultTarget,
                installation is null ? "the default: no bpftrace found" : $"the default: {installation.Spec} reports no version", installation);
    }
}
