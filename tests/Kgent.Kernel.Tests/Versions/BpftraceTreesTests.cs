using Kgent.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Kgent.Kernel.Tests.Versions;

/// <summary>The newer bpftrace releases really run on this kernel from their chroots: each reports its version and
/// loads and attaches a tracepoint program with <c>--dry-run</c>, which 0.17 lacks. Skipped, with the reason, only when
/// a tree is absent.</summary>
public sealed class BpftraceTreesTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("trixie", "0.23.2")]
    [InlineData("sid", "0.27.1")]
    public void Each_release_reports_its_version_and_loads_a_tracepoint_program_with_dry_run(string suite, string version)
    {
        if (BpftraceTrees.Missing(suite) is { } reason)
        {
            output.WriteLine($"skipped: {reason}");
            return;
        }

        // setup.sh's script (re)mounts /proc, /sys and /dev into the tree; the program must be inside the tree.
        var ready = Shell.Run($"{Path.Combine(Support.Corpus.RepositoryRoot, "scripts", "bpftrace-versions.sh")} --check {suite}");
        Assert.Contains($"{suite} {version} ", ready, StringComparison.Ordinal);
        var tree = BpftraceTrees.Tree(suite);
        var name = $"kgent-tree-test-{Guid.NewGuid():N}.bt";
        File.WriteAllText(Path.Combine(tree, "tmp", name), "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }\n");
        try
        {
            var result = Shell.Run($"timeout 60 chroot {tree} bpftrace --dry-run /tmp/{name} 2>&1; echo \"exit=$?\"");
            Assert.EndsWith("exit=0", result, StringComparison.Ordinal);

            // A program with an error is rejected by that release, with its own message and a non-zero exit.
            File.WriteAllText(Path.Combine(tree, "tmp", name), "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(; }\n");
            var rejected = Shell.Run($"timeout 60 chroot {tree} bpftrace --dry-run /tmp/{name} 2>&1; echo \"exit=$?\"");
            Assert.DoesNotContain("exit=0", rejected, StringComparison.Ordinal);
            Assert.Contains("ERROR", rejected, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(Path.Combine(tree, "tmp", name));
        }
    }
}
