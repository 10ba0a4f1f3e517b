using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Tracepoints;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Symbolic;

/// <summary>One execution of a probe body for one concrete hook: the probe type, the tracepoint format or the kernel
/// function's prototype when known, and the contract assumed there.</summary>
internal sealed record ProbeRun(
    Probe Probe,
    AttachPoint AttachPoint,
    string Hook,
    TracepointFormat? Tracepoint,
    string? Function,
    BtfFunctionProto? Prototype,
    HookContract? Contract)
{
    public ProbeType Type => AttachPoint.Type;
}
