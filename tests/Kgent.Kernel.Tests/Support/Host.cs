namespace Kgent.Kernel.Tests.Support;

/// <summary>What this machine has, for tests that need the real tool. A test is skipped only when the tool is
/// truly absent, and the skip reason says what is missing and how to get it.</summary>
public static class Host
{
    public static string? BpftracePath { get; } = FindOnPath("bpftrace");

    public static bool IsRoot { get; } = Environment.UserName == "root" || GetUid() == 0;

    public static string? MissingBpftraceReason =>
        BpftracePath is null ? "bpftrace is not installed (scripts/setup.sh installs it with apt)"
        : !IsRoot ? "bpftrace needs root and these tests are not running as root"
        : null;

    public static string? MissingInstalledToolsReason =>
        Corpus.InstalledToolPaths().Length == 0 ? $"no *.bt tools in {Corpus.InstalledToolsDirectory} (Debian's bpftrace package installs them)" : null;

    public static string? Z3Path { get; } = FindOnPath("z3");

    public static string? MissingZ3BinaryReason => Z3Path is null ? "the z3 binary is not installed (scripts/setup.sh installs it: apt-get install -y z3)" : null;

    /// <summary>Why C programs cannot be compiled here (clang, libbpf's headers, bpftool for vmlinux.h, kernel BTF), or null.</summary>
    public static string? MissingClangReason { get; } =
        Kgent.Kernel.Libbpf.Toolchain.CToolchain.Find().Problem is { } problem ? $"{problem} (scripts/setup.sh installs clang, libbpf-dev and bpftool with apt)"
        : !File.Exists("/sys/kernel/btf/vmlinux") ? "this kernel has no /sys/kernel/btf/vmlinux, so there is no vmlinux.h for CO-RE C"
        : null;

    /// <summary>Why C programs cannot be loaded here: the toolchain, libbpf.so.1 or root missing, or null.</summary>
    public static string? MissingLibbpfReason =>
        MissingClangReason
        ?? (Kgent.Kernel.Libbpf.Toolchain.CToolchain.LibbpfVersion(out var problem) is null ? $"{problem} (scripts/setup.sh installs libbpf-dev, which brings libbpf1)" : null)
        ?? (!IsRoot ? "loading BPF programs needs root and these tests are not running as root" : null);

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static int GetUid()
    {
        try
        {
            var status = File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return status is null ? -1 : int.Parse(status.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
