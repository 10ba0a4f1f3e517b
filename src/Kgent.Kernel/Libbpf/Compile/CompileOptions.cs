using Kgent.Kernel.Libbpf.Toolchain;

namespace Kgent.Kernel.Libbpf.Compile;

/// <summary>How a C program is built: the toolchain (found on this host by default), the kernel BTF vmlinux.h is written
/// from and the cache it is kept in (default: Kgent's), more include folders, how long clang may take, and whether to use
/// the precompiled vmlinux.h.</summary>
public sealed record CompileOptions(CToolchain? Toolchain = null, string BtfPath = VmlinuxHeader.KernelBtf, IReadOnlyList<string>? IncludeDirectories = null,
    TimeSpan? Timeout = null, string? VmlinuxCache = null, bool Precompile = true)
{
    public static CompileOptions Default { get; } = new();

    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromSeconds(60);

    /// <summary>The <c>__TARGET_ARCH_*</c> bpf_tracing.h needs for this machine's registers (PT_REGS_PARM1 and friends).</summary>
    public static string TargetArchitecture => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv",
        System.Runtime.InteropServices.Architecture.Ppc64le => "powerpc",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loongarch",
        _ => "x86",
    };

    /// <summary>Debian's folder of architecture-specific kernel headers (<c>/usr/include/x86_64-linux-gnu</c>, where
    /// <c>asm/types.h</c> is), which <c>-target bpf</c> does not search by itself; null when absent.</summary>
    public static string? MultiarchIncludeDirectory { get; } = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "/usr/include/x86_64-linux-gnu",
        System.Runtime.InteropServices.Architecture.Arm64 => "/usr/include/aarch64-linux-gnu",
        System.Runtime.InteropServices.Architecture.S390x => "/usr/include/s390x-linux-gnu",
        System.Runtime.InteropServices.Architecture.Ppc64le => "/usr/include/powerpc64le-linux-gnu",
        System.Runtime.InteropServices.Architecture.RiscV64 => "/usr/include/riscv64-linux-gnu",
        _ => null,
    } is { } directory && Directory.Exists(directory) ? directory : null;
}
