using System.Collections.Immutable;
using Kgent.Kernel.KernelVerifier;

namespace Kgent.Kernel.Libbpf.Toolchain;

/// <summary>What libbpf C programs need from this host, for <c>kgent doctor</c>: clang, libbpf (headers and library),
/// bpftool, and vmlinux.h for the running kernel in the cache. Each missing piece comes with its fix.</summary>
public static class CReadiness
{
    public static ImmutableArray<ReadinessCheck> Check(CToolchain? toolchain = null, string btfPath = VmlinuxHeader.KernelBtf)
    {
        toolchain ??= CToolchain.Find();
        var checks = ImmutableArray.CreateBuilder<ReadinessCheck>();
        checks.Add(toolchain.Clang is { } clang
            ? new ReadinessCheck("clang (C programs)", true, $"{clang} ({ClangVersion(clang) ?? "version unknown"})", null)
            : new ReadinessCheck("clang (C programs)", false, toolchain.Problem ?? "clang is not installed", CToolchain.InstallCommand));
        var library = CToolchain.LibbpfVersion(out var libraryProblem);
        var headers = toolchain.HeaderDirectory;
        checks.Add(new ReadinessCheck("libbpf", library is not null && headers is not null,
            (library is null ? libraryProblem! : $"libbpf.so.1 (v{library})") + "; " + (headers is null ? "no headers (bpf/bpf_helpers.h)" : $"headers in {Path.Combine(headers, "bpf")}"),
            library is null || headers is null ? CToolchain.InstallCommand : null));
        checks.Add(toolchain.Bpftool is { } bpftool
            ? new ReadinessCheck("bpftool", true, bpftool, null)
            : new ReadinessCheck("bpftool", false, "not installed (it writes vmlinux.h)", CToolchain.InstallCommand));
        var cached = VmlinuxHeader.Cached(btfPath);
        checks.Add(cached is not null
            ? new ReadinessCheck("vmlinux.h", true, $"{cached} (this kernel's BTF)", null)
            : !File.Exists(btfPath)
                ? new ReadinessCheck("vmlinux.h", false, $"no kernel BTF ({btfPath}): CO-RE C cannot be compiled for this kernel", "use a kernel built with CONFIG_DEBUG_INFO_BTF=y")
                : new ReadinessCheck("vmlinux.h", true, "not written yet for this kernel's BTF: the first C compile writes it (~0.3 s), or 'kgent vmlinux' now", null));
        return checks.ToImmutable();
    }

    private static string? ClangVersion(string clang) =>
        Processes.OwnedProcess.RunToEnd(new Processes.ChildCommand("clang --version", clang, ["--version"]), TimeSpan.FromSeconds(10)) is { ExitCode: 0 } result
            ? result.Stdout.Split('\n').FirstOrDefault(l => l.Contains("clang version", StringComparison.Ordinal))?.Trim()
            : null;
}
