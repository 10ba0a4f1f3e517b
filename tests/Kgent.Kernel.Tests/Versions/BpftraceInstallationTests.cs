using Kgent.Kernel.Agent;
using Kgent.Kernel.KernelInfo.Host.Bpftrace;

namespace Kgent.Kernel.Tests.Versions;

/// <summary>Which bpftrace Kgent runs and which release it targets: versions read from <c>--version</c>, a chroot command
/// with its root, <c>--target-version</c>, and the prompt that names the target and the syntax it lacks.</summary>
public sealed class BpftraceInstallationTests
{
    [Theory]
    [InlineData("bpftrace v0.17.0\n", "0.17.0")]
    [InlineData("WARNING: something\nbpftrace v0.27.1\n", "0.27.1")]
    [InlineData("bpftrace v0.23.2-dirty\n", "0.23.2")]
    public void The_version_is_read_from_what_bpftrace_prints(string output, string version) =>
        Assert.Equal(Version.Parse(version), BpftraceInstallation.ParseVersion(output));

    [Fact]
    public void Output_without_a_version_gives_none() => Assert.Null(BpftraceInstallation.ParseVersion("bash: bpftrace: command not found\n"));

    [Fact]
    public void A_chroot_command_names_its_root_and_a_missing_one_is_a_clear_problem()
    {
        var root = Directory.CreateTempSubdirectory("kgent-fake-root-").FullName;
        try
        {
            var installation = BpftraceInstallation.Resolve($"chroot {root} bpftrace", out var problem);
            Assert.Null(problem);
            Assert.Equal(root, installation!.Root);
            Assert.Equal(["chroot", root, "bpftrace"], installation.Command.ToArray());
            Assert.Equal("/tmp/kgent-x/p.bt", installation.PathFor(Path.Combine(root, "tmp", "kgent-x", "p.bt")));
            Assert.Equal(Path.Combine(root, "tmp"), installation.TemporaryDirectory);
            // A fake root has no bpftrace: no version, so the target falls back to the default and says why.
            Assert.Null(installation.Version);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        Assert.Null(BpftraceInstallation.Resolve("chroot /nonexistent/kgent-tree bpftrace", out var missing));
        Assert.Contains("/nonexistent/kgent-tree does not exist", missing, StringComparison.Ordinal);
        Assert.Null(BpftraceInstallation.Resolve("/nonexistent/bpftrace", out var absent));
        Assert.Equal("bpftrace not found at /nonexistent/bpftrace", absent);
    }

    [Fact]
    public void Target_version_overrides_and_a_bad_one_is_refused()
    {
        var target = BpftraceTarget.Resolve(null, "0.23", out var problem);
        Assert.Null(problem);
        Assert.Equal(new Version(0, 23, 0), target!.Version);
        Assert.Equal("bpftrace 0.23 (--target-version)", target.Describe());

        Assert.Null(BpftraceTarget.Resolve(null, "0.9", out var old));
        Assert.Contains("from 0.17 on", old, StringComparison.Ordinal);
        Assert.Null(BpftraceTarget.Resolve(null, "latest", out _));
    }

    [Fact]
    public void The_prompt_names_the_target_and_the_newer_syntax_it_lacks()
    {
        var old = Prompter.BoilerplateFor(new Version(0, 17, 0));
        Assert.Contains("(bpftrace 0.17)", old, StringComparison.Ordinal);
        Assert.Contains("args->FIELD", old, StringComparison.Ordinal);
        Assert.Contains("variable declarations (0.22)", old, StringComparison.Ordinal);
        Assert.Contains("config blocks (0.20)", old, StringComparison.Ordinal);

        var middle = Prompter.BoilerplateFor(new Version(0, 23, 2));
        Assert.Contains("args.FIELD", middle, StringComparison.Ordinal);
        Assert.DoesNotContain("variable declarations", middle, StringComparison.Ordinal);
        Assert.Contains("macros (0.24)", middle, StringComparison.Ordinal);

        Assert.DoesNotContain("lacks", Prompter.BoilerplateFor(new Version(0, 27, 1)), StringComparison.Ordinal);
    }
}
