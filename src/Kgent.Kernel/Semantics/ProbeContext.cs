using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Tracepoints;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Semantics;

/// <summary>What a probe's body may use, from its attach points: their probe types, the tracepoints they resolve
/// to (wildcards expanded) and the kernel functions with BTF prototypes.</summary>
internal sealed class ProbeContext
{
    public HashSet<ProbeType> Types { get; } = [];

    public List<TracepointFormat> Tracepoints { get; } = [];

    public List<(string Name, BtfFunctionProto Prototype)> Functions { get; } = [];

    /// <summary>False when some attach point could not be resolved (unknown tracepoint, wildcard kprobe without
    /// BTF…), so field checks would only repeat that error.</summary>
    public bool FullyResolved { get; set; } = true;

    public bool Only(params ProbeType[] allowed) => Types.Count > 0 && Types.All(allowed.Contains);

    public bool Any(params ProbeType[] types) => Types.Any(types.Contains);
}
