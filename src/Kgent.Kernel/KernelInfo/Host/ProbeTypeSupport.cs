using Kgent.Kernel.Probes;

namespace Kgent.Kernel.KernelInfo.Host;

/// <summary>Whether this kernel can attach one probe type, and the evidence: "no kprobe_events file in tracefs and
/// no kprobe PMU in /sys/bus/event_source/devices (kernel built without CONFIG_KPROBE_EVENTS)".</summary>
public sealed record ProbeTypeSupport(ProbeType Type, bool Supported, string Reason);
