namespace Kgent.Kernel.Tests.Support;

/// <summary>The newer bpftrace releases that scripts/bpftrace-versions.sh builds in Debian chroots (trixie: 0.23.2,
/// sid: 0.27.1), for tests that run a program under each real version.</summary>
public static class BpftraceTrees
{
    public static string Directory => Environment.GetEnvironmentVariable("KGENT_BPFTRACE_TREES") is { Length: > 0 } trees
        ? trees
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "kgent", "bpftrace");

    public static string Tree(string suite) => Path.Combine(Directory, suite);

    /// <summary>Why a suite's tree cannot be used, or null when its bpftrace is there and the tests run as root.</summary>
    public static string? Missing(string suite) =>
        !Host.IsRoot ? "chroots need root and these tests are not running as root"
        : File.Exists(Path.Combine(Tree(suite), "usr", "bin", "bpftrace")) ? null
        : $"no {suite} tree in {Directory} (scripts/bpftrace-versions.sh builds it; test.sh does so before the tests)";
}
