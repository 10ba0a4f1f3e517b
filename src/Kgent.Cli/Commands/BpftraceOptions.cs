using System.CommandLine;
using Kgent.Kernel.KernelInfo.Host.Bpftrace;

namespace Kgent.Cli.Commands;

/// <summary><c>--bpftrace SPEC</c> (a path, or a command such as <c>"chroot /srv/sid bpftrace"</c>; default
/// <c>KGENT_BPFTRACE</c>, else the one on PATH) and <c>--target-version VERSION</c> (default: the release that bpftrace
/// reports): which bpftrace loads and runs programs, and which release's language they are checked against.</summary>
internal sealed class BpftraceOptions
{
    public Option<string?> Bpftrace { get; } = new("--bpftrace")
    {
        Description = $"The bpftrace to use: a path, or a command such as \"chroot DIR bpftrace\" (default: {BpftraceInstallation.EnvironmentVariable}, else the one on PATH)",
    };

    public Option<string?> TargetVersion { get; } = new("--target-version")
    {
        Description = "Check programs against this bpftrace release's language, e.g. 0.17 or 0.27.1 (default: the release the bpftrace reports)",
    };

    /// <summary>The choice a command line made.</summary>
    public (string? Bpftrace, string? TargetVersion) Values(ParseResult result) => (result.GetValue(Bpftrace), result.GetValue(TargetVersion));

    /// <summary>The target, or null after one line on <paramref name="error"/> that names the problem.</summary>
    public static BpftraceTarget? Resolve((string? Bpftrace, string? TargetVersion) choice, TextWriter error,
        Kgent.Kernel.KernelInfo.Catalog.ProbeCatalog? catalog = null)
    {
        var target = BpftraceTarget.Resolve(choice.Bpftrace, choice.TargetVersion, out var problem, catalog?.Host.BpftraceVersion);
        if (target is null)
        {
            error.WriteLine($"kgent: error: {problem}");
        }

        return target;
    }
}
