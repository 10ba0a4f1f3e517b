using System.Collections.Immutable;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.KernelInfo.Host;

/// <summary>The facts about one kernel that decide what a program may use: release, architecture, where BTF and
/// tracefs were found, which probe types attach, and which bpftrace was installed.</summary>
public sealed record HostInfo(
    string KernelRelease,
    string Machine,
    string? BtfPath,
    string? TracingDirectory,
    string? BpftraceVersion,
    ImmutableArray<ProbeTypeSupport> ProbeTypes,
    DateTimeOffset CapturedAt)
{
    public bool HasBtf => BtfPath is not null;

    public ProbeTypeSupport SupportOf(ProbeType type) =>
        ProbeTypes.FirstOrDefault(p => p.Type == type) ?? new ProbeTypeSupport(type, false, "not recorded in this catalog");

    public bool CanAttach(ProbeType type) => SupportOf(type).Supported;
}
