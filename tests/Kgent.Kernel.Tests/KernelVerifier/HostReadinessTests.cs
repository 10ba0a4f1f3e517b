using Kgent.Kernel.KernelVerifier;

namespace Kgent.Kernel.Tests.KernelVerifier;

/// <summary>Readiness checks on fake /proc and /sys trees: every missing piece is reported with its fix.</summary>
public sealed class HostReadinessTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("kgent-ready-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Write(string path, string text)
    {
        var full = Path.Combine(root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public void Ready_host_passes_every_check()
    {
        Write("/proc/self/status", "Name:\tkgent\nUid:\t0\t0\t0\t0\nCapEff:\t000001fffeffffff\n");
        Write("/proc/mounts", "nodev /sys/kernel/tracing tracefs rw,relatime 0 0\nnodev /sys/kernel/debug debugfs rw,relatime 0 0\n");
        Write("/sys/kernel/btf/vmlinux", "btf");
        Write("/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");

        var checks = HostReadiness.Check(new ReadinessOptions(root, "/usr/bin/bpftrace", _ => "v0.17.0"));

        Assert.All(checks, c => Assert.True(c.Ok, $"{c.Name}: {c.Detail}"));
        Assert.Equal(["bpftrace", "privileges", "tracefs", "debugfs", "kernel BTF", "kernel lockdown"], checks.Select(c => c.Name));
    }

    [Fact]
    public void Every_missing_piece_is_reported_with_its_fix()
    {
        Write("/proc/self/status", "Name:\tkgent\nUid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\n");
        Write("/proc/mounts", "proc /proc proc rw 0 0\n");
        Write("/sys/kernel/security/lockdown", "none integrity [confidentiality]\n");

        var checks = HostReadiness.Check(new ReadinessOptions(root, "/nonexistent/bpftrace", _ => null)).ToDictionary(c => c.Name);

        Assert.False(checks["bpftrace"].Ok);
        Assert.Equal("run as root: sudo kgent ...", checks["privileges"].Fix);
        Assert.Equal("mount -t tracefs nodev /sys/kernel/tracing", checks["tracefs"].Fix);
        Assert.Equal("mount -t debugfs nodev /sys/kernel/debug", checks["debugfs"].Fix);
        Assert.False(checks["kernel BTF"].Ok);
        Assert.Contains("CONFIG_DEBUG_INFO_BTF", checks["kernel BTF"].Fix, StringComparison.Ordinal);
        Assert.False(checks["kernel lockdown"].Ok);
        Assert.All(checks.Values, c => Assert.NotNull(c.Fix));
    }

    [Fact]
    public void Root_without_bpf_capabilities_is_not_ready()
    {
        Write("/proc/self/status", "Uid:\t0\t0\t0\t0\nCapEff:\t0000000000000000\n");

        var privileges = HostReadiness.Check(new ReadinessOptions(root, "/usr/bin/bpftrace", _ => "v0.17.0")).Single(c => c.Name == "privileges");

        Assert.False(privileges.Ok);
        Assert.Contains("--cap-add BPF", privileges.Fix, StringComparison.Ordinal);
    }
}
