using Kgent.Kernel.KernelInfo.Host.Bpftrace;

namespace Kgent.Kernel.Libbpf.Toolchain;

/// <summary>What building and loading libbpf C needs on this host: clang (<c>KGENT_CLANG</c>, else <c>clang</c> or
/// <c>clang-14</c>…<c>clang-19</c> on PATH), libbpf's headers (libbpf-dev: <c>bpf/bpf_helpers.h</c>), libbpf itself
/// (libbpf.so.1) and bpftool (which writes vmlinux.h). Each missing part comes with the command that installs it.</summary>
public sealed record CToolchain(string? Clang, string? HeaderDirectory, string? Bpftool)
{
    public const string ClangVariable = "KGENT_CLANG";

    public const string InstallCommand = "apt-get install -y clang libbpf-dev bpftool (scripts/setup.sh does this)";

    private static readonly string[] HeaderRoots = ["/usr/include", "/usr/local/include"];

    /// <summary>The toolchain of this host.</summary>
    public static CToolchain Find()
    {
        var clang = Environment.GetEnvironmentVariable(ClangVariable) is { Length: > 0 } chosen
            ? (File.Exists(chosen) ? chosen : BpftraceInfoReader.FindOnPath(chosen))
            : new[] { "clang", "clang-19", "clang-18", "clang-17", "clang-16", "clang-15", "clang-14" }.Select(BpftraceInfoReader.FindOnPath).FirstOrDefault(p => p is not null);
        var headers = HeaderRoots.FirstOrDefault(root => File.Exists(Path.Combine(root, "bpf", "bpf_helpers.h")));
        return new CToolchain(clang, headers, BpftraceInfoReader.FindOnPath("bpftool"));
    }

    /// <summary>The first missing part, as one sentence, or null when everything is there.</summary>
    public string? Problem =>
        Clang is null ? (Environment.GetEnvironmentVariable(ClangVariable) is { Length: > 0 } chosen ? $"{ClangVariable}={chosen} is not an executable" : "clang is not installed")
        : HeaderDirectory is null ? "libbpf's headers (bpf/bpf_helpers.h) are not installed"
        : Bpftool is null ? "bpftool is not installed (it writes vmlinux.h)"
        : null;

    /// <summary>libbpf.so.1's version, or null with the reason when it cannot be loaded.</summary>
    public static string? LibbpfVersion(out string? problem)
    {
        try
        {
            problem = null;
            return $"{Native.LibbpfNative.MajorVersion()}.{Native.LibbpfNative.MinorVersion()}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            problem = $"libbpf.so.1 cannot be loaded ({e.Message.Split('\n')[0]})";
            return null;
        }
    }
}
