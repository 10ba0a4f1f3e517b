namespace Kgent.Kernel.Tests.Support;

/// <summary>A fact that runs against the real bpftrace; skipped, with the reason, only when bpftrace or root is absent.</summary>
public sealed class BpftraceFactAttribute : FactAttribute
{
    public BpftraceFactAttribute()
    {
        Skip = Host.MissingBpftraceReason;
    }
}

/// <summary>A theory over the real bpftrace; skipped, with the reason, only when bpftrace or root is absent.</summary>
public sealed class BpftraceTheoryAttribute : TheoryAttribute
{
    public BpftraceTheoryAttribute()
    {
        Skip = Host.MissingBpftraceReason ?? Host.MissingInstalledToolsReason;
    }
}

/// <summary>A theory over the installed tools; skipped, with the reason, only when none are installed.</summary>
public sealed class InstalledToolsTheoryAttribute : TheoryAttribute
{
    public InstalledToolsTheoryAttribute()
    {
        Skip = Host.MissingInstalledToolsReason;
    }
}

/// <summary>A fact over the installed tools; skipped, with the reason, only when none are installed.</summary>
public sealed class InstalledToolsFactAttribute : FactAttribute
{
    public InstalledToolsFactAttribute()
    {
        Skip = Host.MissingInstalledToolsReason;
    }
}

/// <summary>A fact that compares with bpftool's reading of the live kernel BTF; skipped, with the reason, only when
/// bpftool or /sys/kernel/btf/vmlinux is absent.</summary>
public sealed class LiveBtfFactAttribute : FactAttribute
{
    public LiveBtfFactAttribute()
    {
        Skip = !File.Exists("/sys/kernel/btf/vmlinux") ? "this kernel has no /sys/kernel/btf/vmlinux (built without CONFIG_DEBUG_INFO_BTF)"
            : !new[] { "/usr/sbin/bpftool", "/usr/bin/bpftool" }.Any(File.Exists) ? "bpftool is not installed (scripts/setup.sh installs it with apt)"
            : null;
    }
}

public sealed class Z3BinaryFactAttribute : FactAttribute
{
    public Z3BinaryFactAttribute()
    {
        Skip = Host.MissingZ3BinaryReason;
    }
}

/// <summary>Needs bpftrace, root, and a kernel without kprobes (to see the attach failure for real).</summary>
public sealed class KprobelessKernelFactAttribute : FactAttribute
{
    public KprobelessKernelFactAttribute()
    {
        Skip = Host.MissingBpftraceReason
            ?? (File.Exists("/sys/kernel/tracing/kprobe_events") || Directory.Exists("/sys/bus/event_source/devices/kprobe")
                ? "this kernel has kprobes, so a kprobe attaches instead of failing" : null);
    }
}

/// <summary>Needs bpftrace, root and setpriv (util-linux) to drop privileges.</summary>
public sealed class SetprivFactAttribute : FactAttribute
{
    public SetprivFactAttribute()
    {
        Skip = Host.MissingBpftraceReason ?? (File.Exists("/usr/bin/setpriv") ? null : "setpriv (util-linux) is not installed");
    }
}

/// <summary>Needs bpftrace, root and bpftool to list the kernel's BPF programs.</summary>
public sealed class BpftoolFactAttribute : FactAttribute
{
    public BpftoolFactAttribute()
    {
        Skip = Host.MissingBpftraceReason ?? (BpfPrograms.Bpftool is null ? "bpftool is not installed (scripts/setup.sh installs it)" : null);
    }
}

/// <summary>A fact that executes notebooks in the real Jupyter .NET kernel; skipped, with the reason, only when Jupyter,
/// the kernel or the local feed (all from scripts/setup.sh) or bpftrace is absent.</summary>
public sealed class NotebookFactAttribute : FactAttribute
{
    public NotebookFactAttribute()
    {
        Skip = NotebookHost.MissingReason;
    }
}

/// <summary>A theory over executed notebooks; skipped like <see cref="NotebookFactAttribute"/>.</summary>
public sealed class NotebookTheoryAttribute : TheoryAttribute
{
    public NotebookTheoryAttribute()
    {
        Skip = NotebookHost.MissingReason;
    }
}

/// <summary>A notebook fact that also needs Chromium, for screenshots.</summary>
public sealed class NotebookChromiumFactAttribute : FactAttribute
{
    public NotebookChromiumFactAttribute()
    {
        Skip = NotebookHost.MissingChromiumReason;
    }
}

/// <summary>Needs root (mknod, chown, mount): skipped, with the reason, only when the tests do not run as root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        Skip = Environment.UserName == "root" ? null : "needs root (mknod, chown and mount of a tmpfs); CI runs as root";
    }
}

/// <summary>A theory that needs bpftrace, root and bpftool (to check which BPF programs stay loaded).</summary>
public sealed class BpftoolTheoryAttribute : TheoryAttribute
{
    public BpftoolTheoryAttribute()
    {
        Skip = Host.MissingBpftraceReason ?? (BpfPrograms.Bpftool is null ? "bpftool is not installed (scripts/setup.sh installs it)" : null);
    }
}

/// <summary>A theory over a newer bpftrace release in its chroot (trixie: 0.23.2, sid: 0.27.1); skipped, with the reason,
/// only when the tree is absent or the tests are not root.</summary>
public sealed class BpftraceTreeTheoryAttribute : TheoryAttribute
{
    public BpftraceTreeTheoryAttribute(string suite)
    {
        Skip = BpftraceTrees.Missing(suite);
    }
}

/// <summary>Needs clang, libbpf's headers and bpftool (vmlinux.h): compiles C programs without loading them.</summary>
public sealed class ClangFactAttribute : FactAttribute
{
    public ClangFactAttribute()
    {
        Skip = Host.MissingClangReason;
    }
}

/// <summary>Needs the C toolchain (clang, libbpf's headers, vmlinux.h), for each data row.</summary>
public sealed class ClangTheoryAttribute : TheoryAttribute
{
    public ClangTheoryAttribute()
    {
        Skip = Host.MissingClangReason;
    }
}

/// <summary>Needs the C toolchain, libbpf.so.1 and root: compiles C programs and loads them into the kernel.</summary>
public sealed class LibbpfFactAttribute : FactAttribute
{
    public LibbpfFactAttribute()
    {
        Skip = Host.MissingLibbpfReason;
    }
}

/// <summary>A theory that compiles C programs and loads them into the kernel; skipped like <see cref="LibbpfFactAttribute"/>.</summary>
public sealed class LibbpfTheoryAttribute : TheoryAttribute
{
    public LibbpfTheoryAttribute()
    {
        Skip = Host.MissingLibbpfReason;
    }
}
