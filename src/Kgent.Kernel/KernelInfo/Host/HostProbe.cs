using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Kgent.Kernel.KernelInfo.Host.Bpftrace;
using Kgent.Kernel.KernelInfo.Tracepoints;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.KernelInfo.Host;

/// <summary>Finds out which probe types this kernel can attach, from the files the kernel exposes
/// (tracefs, <c>/sys/bus/event_source/devices</c>, BTF) plus <c>bpftrace --info</c> for what needs a test load.
/// Every verdict carries its evidence, so <c>kgent probes --host</c> can say why not.</summary>
public static class HostProbe
{
    public const string BtfPath = "/sys/kernel/btf/vmlinux";

    public static HostInfo Detect(HostProbeOptions? options = null)
    {
        options ??= HostProbeOptions.Live;
        string P(string path) => Path.Combine(options.Root, path.TrimStart('/'));

        var release = ReadLine(P("/proc/sys/kernel/osrelease")) ?? "unknown";
        var machine = ReadLine(P("/proc/sys/kernel/arch")) ?? RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        var btf = File.Exists(P(BtfPath)) ? BtfPath : null;
        var tracing = TracefsReader.FindTracingDirectory(options.Root);
        var devices = P("/sys/bus/event_source/devices");
        bool Device(string name) => Directory.Exists(Path.Combine(devices, name)) || File.Exists(Path.Combine(devices, name));
        bool TracingFile(string name) => tracing is not null && File.Exists(Path.Combine(tracing, name));
        var info = options.BpftraceInfo();
        var tracingShown = tracing is null ? null : "/" + Path.GetRelativePath(options.Root, tracing);

        var tracepoints = tracing is not null
            ? Yes(ProbeType.Tracepoint, $"tracefs events at {tracingShown}/events")
            : No(ProbeType.Tracepoint, "tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing");

        var kprobeEvidence = TracingFile("kprobe_events") ? $"{tracingShown}/kprobe_events exists"
            : Device("kprobe") ? "kprobe PMU in /sys/bus/event_source/devices" : null;
        var kprobe = kprobeEvidence is not null
            ? Yes(ProbeType.Kprobe, kprobeEvidence)
            : No(ProbeType.Kprobe, tracing is null
                ? "cannot tell: tracefs is not mounted and there is no kprobe PMU (mount -t tracefs nodev /sys/kernel/tracing)"
                : "this kernel has no kprobe_events file and no kprobe PMU (built without CONFIG_KPROBE_EVENTS); use tracepoints");

        var uprobeEvidence = Device("uprobe") ? "uprobe PMU in /sys/bus/event_source/devices"
            : TracingFile("uprobe_events") ? $"{tracingShown}/uprobe_events exists" : null;
        var uprobe = uprobeEvidence is not null
            ? Yes(ProbeType.Uprobe, uprobeEvidence)
            : No(ProbeType.Uprobe, "no uprobe PMU and no uprobe_events (kernel built without CONFIG_UPROBE_EVENTS)");

        var kfuncInfo = BpftraceInfoReader.Feature(info, "kfunc");
        var kfunc = btf is null
            ? No(ProbeType.Kfunc, $"kfunc needs kernel BTF and {BtfPath} is missing (CONFIG_DEBUG_INFO_BTF)")
            : kfuncInfo switch
            {
                true => Yes(ProbeType.Kfunc, "bpftrace --info reports kfunc: yes (BTF and fentry trampolines)"),
                false => No(ProbeType.Kfunc, "bpftrace --info reports kfunc: no (this kernel cannot attach fentry/fexit programs)"),
                null when kprobeEvidence is not null => Yes(ProbeType.Kfunc, "assumed: BTF present and ftrace-based probes available (bpftrace not installed to confirm)"),
                null => No(ProbeType.Kfunc, "assumed not: no kprobe/ftrace support found and bpftrace is not installed to test fentry"),
            };

        var software = Device("software")
            ? Yes(ProbeType.Software, "software PMU in /sys/bus/event_source/devices")
            : No(ProbeType.Software, "no software PMU in /sys/bus/event_source/devices (perf events disabled)");
        var hardwarePmu = new[] { "cpu", "cpu_core", "cpu_atom", "armv8_pmuv3" }.FirstOrDefault(Device);
        var hardware = hardwarePmu is not null
            ? Yes(ProbeType.Hardware, $"hardware PMU '{hardwarePmu}' in /sys/bus/event_source/devices")
            : No(ProbeType.Hardware, "no hardware PMU in /sys/bus/event_source/devices (typical in a VM without PMU passthrough)");
        var breakpoint = Device("breakpoint")
            ? Yes(ProbeType.Watchpoint, "breakpoint PMU in /sys/bus/event_source/devices")
            : No(ProbeType.Watchpoint, "no breakpoint PMU in /sys/bus/event_source/devices");
        var iterInfo = BpftraceInfoReader.Feature(info, "iter:task");
        var iter = iterInfo == true
            ? Yes(ProbeType.Iter, "bpftrace --info reports iter:task: yes")
            : No(ProbeType.Iter, iterInfo == false ? "bpftrace --info reports iter:task: no" : "bpftrace is not installed to test BPF iterators");

        var probes = ImmutableArray.Create(
            Same(ProbeType.Begin, uprobe, "BEGIN runs as a uprobe on the bpftrace binary"),
            Same(ProbeType.End, uprobe, "END runs as a uprobe on the bpftrace binary"),
            tracepoints,
            Same(ProbeType.RawTracepoint, tracepoints, "raw tracepoints use the same tracepoint list"),
            kprobe,
            Same(ProbeType.Kretprobe, kprobe, "kretprobes need kprobe support"),
            uprobe,
            Same(ProbeType.Uretprobe, uprobe, "uretprobes need uprobe support"),
            Same(ProbeType.Usdt, uprobe, "USDT probes attach as uprobes"),
            kfunc,
            Same(ProbeType.Kretfunc, kfunc, "kretfunc needs kfunc support"),
            Same(ProbeType.Profile, software, "profile uses the cpu-clock software event"),
            Same(ProbeType.Interval, software, "interval uses the cpu-clock software event"),
            software,
            hardware,
            breakpoint,
            Same(ProbeType.AsyncWatchpoint, breakpoint, "asyncwatchpoint needs the breakpoint PMU"),
            iter);
        return new HostInfo(release, machine, btf, tracing is null ? null : tracingShown, BpftraceInfoReader.Version(info), probes, DateTimeOffset.UtcNow);
    }

    private static ProbeTypeSupport Yes(ProbeType type, string reason) => new(type, true, reason);

    private static ProbeTypeSupport No(ProbeType type, string reason) => new(type, false, reason);

    private static ProbeTypeSupport Same(ProbeType type, ProbeTypeSupport basis, string why) =>
        new(type, basis.Supported, $"{why}: {basis.Reason}");

    private static string? ReadLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
