using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>One thing bpftrace needs from this host, whether it is in place, and the command that fixes it.</summary>
public sealed record ReadinessCheck(string Name, bool Ok, string Detail, string? Fix);

/// <summary>Where the readiness checks look: a root directory (a fake tree in tests), and the bpftrace to ask for its version.</summary>
public sealed record ReadinessOptions(string Root = "/", string? BpftracePath = null, Func<string, string?>? BpftraceVersion = null);

/// <summary>Checks what loading a program needs: bpftrace (and its version), privileges (root, or CAP_BPF + CAP_PERFMON),
/// tracefs and debugfs mounted, kernel BTF, and kernel lockdown. Each missing piece comes with its fix.</summary>
public static partial class HostReadiness
{
    private const int CapSysAdmin = 21;
    private const int CapPerfmon = 38;
    private const int CapBpf = 39;

    public static ImmutableArray<ReadinessCheck> Check(ReadinessOptions? options = null)
    {
        options ??= new ReadinessOptions();
        var root = options.Root;
        string P(string path) => Path.Combine(root, path.TrimStart('/'));
        var checks = ImmutableArray.CreateBuilder<ReadinessCheck>();

        // The bpftrace in use (--bpftrace, KGENT_BPFTRACE or PATH), unless a test gives a fake one and its version.
        var installation = options.BpftraceVersion is null ? KernelInfo.Host.Bpftrace.BpftraceInstallation.Resolve(options.BpftracePath, out _) : null;
        var bpftrace = installation?.Spec ?? options.BpftracePath ?? (options.BpftraceVersion is null ? null : KernelInfo.Host.Bpftrace.BpftraceInfoReader.FindBpftrace());
        var version = bpftrace is null ? null
            : installation is not null ? (installation.Version is { } v ? "v" + Bpftrace.Language.LanguageFeature.Name(v) : null)
            : (options.BpftraceVersion ?? ReadVersion)(bpftrace);
        checks.Add(bpftrace is null
            ? new ReadinessCheck("bpftrace", false, "not installed", "apt-get install -y bpftrace")
            : new ReadinessCheck("bpftrace", version is not null, version is null ? $"{bpftrace} does not report a version" : $"{bpftrace} ({version})",
                version is null ? "reinstall it: apt-get install --reinstall -y bpftrace" : null));

        var status = Read(P("/proc/self/status")) ?? string.Empty;
        var uid = UidPattern().Match(status) is { Success: true } u ? int.Parse(u.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        var caps = CapPattern().Match(status) is { Success: true } c ? ulong.Parse(c.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0UL;
        bool Has(int cap) => (caps & (1UL << cap)) != 0;
        var capable = Has(CapSysAdmin) || (Has(CapBpf) && Has(CapPerfmon));
        checks.Add(new ReadinessCheck("privileges", uid == 0 && capable,
            uid == 0 ? (capable ? "root with CAP_BPF and CAP_PERFMON" : "root, but without CAP_SYS_ADMIN or CAP_BPF + CAP_PERFMON (a restricted container?)")
                : $"uid {uid}: bpftrace 0.17 runs only as root",
            uid == 0 && capable ? null : uid == 0 ? "run with the capabilities: e.g. docker run --cap-add BPF --cap-add PERFMON --cap-add SYS_RESOURCE" : "run as root: sudo kgent ..."));

        var mounts = Read(P("/proc/mounts")) ?? string.Empty;
        checks.Add(Mount(mounts, "tracefs", "/sys/kernel/tracing", "tracepoint formats and events"));
        checks.Add(Mount(mounts, "debugfs", "/sys/kernel/debug", "older tracing paths bpftrace still reads"));

        var btf = P("/sys/kernel/btf/vmlinux");
        checks.Add(File.Exists(btf)
            ? new ReadinessCheck("kernel BTF", true, $"/sys/kernel/btf/vmlinux ({new FileInfo(btf).Length:N0} bytes)", null)
            : new ReadinessCheck("kernel BTF", false, "no /sys/kernel/btf/vmlinux: struct fields need headers, kfunc cannot work",
                "use a kernel built with CONFIG_DEBUG_INFO_BTF=y (most distribution kernels are)"));

        var lockdown = Read(P("/sys/kernel/security/lockdown"));
        var mode = lockdown is null ? "none" : LockdownPattern().Match(lockdown) is { Success: true } m ? m.Groups[1].Value : "none";
        checks.Add(mode == "confidentiality"
            ? new ReadinessCheck("kernel lockdown", false, "confidentiality mode: the kernel refuses to let BPF read kernel memory",
                "boot with lockdown=none or integrity (or disable Secure Boot lockdown), then retry")
            : new ReadinessCheck("kernel lockdown", true, lockdown is null ? "not enabled (no securityfs lockdown file)" : $"{mode} mode", null));
        return checks.ToImmutable();
    }

    private static ReadinessCheck Mount(string mounts, string type, string path, string why)
    {
        var mounted = mounts.Split('\n').Any(line => line.Split(' ') is [_, var at, var fs, ..] && at == path && fs == type);
        return new ReadinessCheck(type, mounted, mounted ? $"mounted at {path}" : $"not mounted at {path} ({why})",
            mounted ? null : $"mount -t {type} nodev {path}");
    }

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadVersion(string bpftrace) =>
        Processes.OwnedProcess.RunToEnd(new Processes.ChildCommand("bpftrace --version", bpftrace, ["--version"]), TimeSpan.FromSeconds(5)) is { } result
        && VersionPattern().Match(result.Stdout) is { Success: true } match ? match.Value : null;

    [GeneratedRegex(@"^Uid:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex UidPattern();

    [GeneratedRegex(@"^CapEff:\s+([0-9a-fA-F]+)", RegexOptions.Multiline)]
    private static partial Regex CapPattern();

    [GeneratedRegex(@"\[(\w+)\]")]
    private static partial Regex LockdownPattern();

    [GeneratedRegex(@"v\d+\.\d+(\.\d+)?")]
    private static partial Regex VersionPattern();
}
