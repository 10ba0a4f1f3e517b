using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.KernelInfo.Host;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Tests.KernelInfo;

/// <summary>Probe-type detection on kernels described as directory trees, so both kinds of kernel (with and
/// without kprobes) are exercised on any machine, plus the live host checked against its own files.</summary>
public sealed class HostProbeTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("kgent-host-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Make(params string[] paths)
    {
        foreach (var path in paths)
        {
            var full = Path.Combine(root, path.TrimStart('/'));
            if (path.EndsWith('/'))
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, "6.1.0-test\n");
            }
        }
    }

    private HostInfo Detect(string? bpftraceInfo = null) => HostProbe.Detect(new HostProbeOptions(root, () => bpftraceInfo));

    [Fact]
    public void Kernel_with_kprobe_events_supports_kprobes()
    {
        Make("/proc/sys/kernel/osrelease", "/sys/kernel/tracing/events/", "/sys/kernel/tracing/kprobe_events", "/sys/kernel/btf/vmlinux",
            "/sys/bus/event_source/devices/uprobe/", "/sys/bus/event_source/devices/software/");
        var host = Detect("Probe types\n  kfunc: yes\n");
        Assert.Equal("6.1.0-test", host.KernelRelease);
        Assert.True(host.CanAttach(ProbeType.Kprobe));
        Assert.True(host.CanAttach(ProbeType.Kretprobe));
        Assert.True(host.CanAttach(ProbeType.Kfunc));
        Assert.True(host.CanAttach(ProbeType.Tracepoint));
        Assert.Contains("kprobe_events", host.SupportOf(ProbeType.Kprobe).Reason);
    }

    [Fact]
    public void Kernel_without_kprobes_says_why_and_points_to_tracepoints()
    {
        Make("/sys/kernel/tracing/events/", "/sys/kernel/tracing/uprobe_events", "/sys/bus/event_source/devices/software/");
        var host = Detect("Probe types\n  kfunc: no\n");
        var kprobe = host.SupportOf(ProbeType.Kprobe);
        Assert.False(kprobe.Supported);
        Assert.Contains("CONFIG_KPROBE_EVENTS", kprobe.Reason);
        Assert.Contains("tracepoints", kprobe.Reason);
        Assert.False(host.CanAttach(ProbeType.Kfunc));
        Assert.Contains("BTF", host.SupportOf(ProbeType.Kfunc).Reason);
        Assert.False(host.CanAttach(ProbeType.Hardware));
        Assert.True(host.CanAttach(ProbeType.Uprobe));
        Assert.True(host.CanAttach(ProbeType.Interval));
    }

    [Fact]
    public void Unmounted_tracefs_gives_the_mount_command()
    {
        Make("/sys/kernel/btf/vmlinux");
        var host = Detect();
        Assert.False(host.CanAttach(ProbeType.Tracepoint));
        Assert.Contains("mount -t tracefs", host.SupportOf(ProbeType.Tracepoint).Reason);
        Assert.Contains("not installed", host.SupportOf(ProbeType.Kfunc).Reason);
    }

    [Fact]
    public void Live_host_kprobe_verdict_matches_its_own_files()
    {
        var host = HostProbe.Detect();
        var hasKprobes = File.Exists("/sys/kernel/tracing/kprobe_events") || File.Exists("/sys/kernel/debug/tracing/kprobe_events")
            || Directory.Exists("/sys/bus/event_source/devices/kprobe");
        Assert.Equal(hasKprobes, host.CanAttach(ProbeType.Kprobe));
        Assert.Equal(Directory.Exists("/sys/kernel/tracing/events") || Directory.Exists("/sys/kernel/debug/tracing/events"), host.CanAttach(ProbeType.Tracepoint));
    }
}
