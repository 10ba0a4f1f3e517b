using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Versions;

/// <summary>The kernel verifier stage under each newer release: its own error formats ("Error loading BPF program for
/// …", "Kernel error log:", "No matches for kprobe …") map to the same stages, spans and explanations as 0.17's.</summary>
[Collection(KernelCollection.Name)]
public sealed class ReleaseStagesTests
{
    [BpftraceTreeTheory("trixie")]
    [InlineData("trixie")]
    public void Each_rejection_of_0_23_has_its_stage(string suite) => EachRejectionHasItsStage(suite);

    [BpftraceTreeTheory("sid")]
    [InlineData("sid")]
    public void Each_rejection_of_0_27_has_its_stage(string suite) => EachRejectionHasItsStage(suite);

    private static void EachRejectionHasItsStage(string suite)
    {
        var options = new VerifyOptions(Catalog: Catalogs.Live, BpftracePath: $"chroot {BpftraceTrees.Tree(suite)} bpftrace");
        LoadVerdict Verify(string program) => KernelLoader.Verify(BpftraceParser.Parse(program, "release.bt"), options);

        Assert.True(Verify("tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }\n").IsAccepted);

        var unknown = Assert.IsType<LoadVerdict.Rejected>(Verify("tracepoint:syscalls:sys_enter_kgent_nosuch { @x = count(); }\n"));
        Assert.Equal(LoadStage.Semantic, unknown.Stage);
        Assert.Equal(0, unknown.Span?.Start);

        var kprobe = Assert.IsType<LoadVerdict.Rejected>(Verify("kprobe:vfs_read { @x = count(); }\n"));
        Assert.Equal(LoadStage.Attach, kprobe.Stage);
        if (!Catalogs.Live.Host.CanAttach(Kgent.Kernel.Probes.ProbeType.Kprobe))
        {
            Assert.StartsWith("kprobe:vfs_read cannot attach: ", kprobe.Message, StringComparison.Ordinal);
            Assert.Contains("tracepoint:syscalls:sys_enter_read", kprobe.Hint, StringComparison.Ordinal);
        }

        var loop = Assert.IsType<LoadVerdict.Rejected>(KernelLoader.Verify(
            BpftraceParser.Parse(File.ReadAllText(Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "kernel-verifier", "infinite_loop.bt")), "infinite_loop.bt"), options));
        Assert.Equal(LoadStage.KernelVerifier, loop.Stage);
        Assert.Equal("the kernel verifier rejected tracepoint:syscalls:sys_enter_openat: infinite loop detected at insn 0", loop.Message);
        Assert.NotNull(loop.Verifier);
    }
}
