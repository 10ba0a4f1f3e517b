using System.Collections.Frozen;

namespace Kgent.Kernel.KernelInfo.Catalog;

/// <summary>The perf event names bpftrace 0.17 accepts for <c>software:</c> and <c>hardware:</c> probes,
/// with their aliases.</summary>
public static class PerfEvents
{
    public static IReadOnlyList<string> Software { get; } =
    [
        "alignment-faults", "bpf-output", "context-switches", "cs", "cpu-clock", "cpu", "cpu-migrations",
        "dummy", "emulation-faults", "major-faults", "minor-faults", "page-faults", "faults", "task-clock",
    ];

    public static IReadOnlyList<string> Hardware { get; } =
    [
        "backend-stalls", "branch-instructions", "branches", "branch-misses", "bus-cycles", "cache-misses",
        "cache-references", "cpu-cycles", "cycles", "frontend-stalls", "instructions", "ref-cycles",
    ];

    public static FrozenSet<string> SoftwareSet { get; } = Software.ToFrozenSet(StringComparer.Ordinal);

    public static FrozenSet<string> HardwareSet { get; } = Hardware.ToFrozenSet(StringComparer.Ordinal);
}
