using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Native;
using Kgent.Kernel.Libbpf.Verify;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>Accepted C programs load through libbpf into this kernel's verifier, and nothing stays loaded afterwards. Each
/// program's entry is renamed to a name of this test run's own, so the check sees only its own programs.</summary>
[Collection(KernelCollection.Name)]
public sealed class CAcceptedProgramTests
{
    [LibbpfTheory]
    [MemberData(nameof(CFixtures.Accepted), MemberType = typeof(CFixtures))]
    public void Accepted_fixture_loads_and_nothing_stays_loaded(string name)
    {
        var source = CFixtures.Renamed(name, out var entry);
        using var build = ClangCompiler.Compile(source);

        var verdict = CKernelLoader.Verify(build, new CVerifyOptions(Catalog: Catalogs.Live));

        var accepted = Assert.IsType<LoadVerdict.Accepted>(verdict);
        Assert.Equal(build.Object!.Programs.Select(p => p.Section), accepted.Probes);
        Assert.DoesNotContain(entry, BpfPrograms.Names());
    }

    [LibbpfFact]
    public void A_program_is_listed_while_its_object_is_open_and_gone_when_it_is_closed()
    {
        // The check above can fail: a loaded program shows in bpftool under its name until the object is closed.
        var source = CFixtures.Renamed("opens-by-comm.bpf.c", out var entry);
        using var build = ClangCompiler.Compile(source);
        using (var opened = LibbpfObject.Open(build.Object!.Path, out var error))
        {
            Assert.NotNull(opened);
            Assert.Equal(0, opened!.Load());
            Assert.Contains(entry, BpfPrograms.Names());
        }

        Assert.DoesNotContain(entry, BpfPrograms.Names());
    }

    [LibbpfFact]
    public void Compile_reads_programs_context_types_maps_and_line_info()
    {
        using var build = ClangCompiler.Compile(CFixtures.Load("accepted", "opens-by-comm.bpf.c"));

        Assert.True(build.Succeeded, build.Problem);
        var program = Assert.Single(build.Object!.Programs);
        Assert.Equal("tp/syscalls/sys_enter_openat", program.Section);
        Assert.Equal("count_opens", program.Function);
        Assert.Equal("trace_event_raw_sys_enter", program.ContextType);
        Assert.Equal(["opens"], build.Object.Maps.ToArray());
        Assert.Equal("GPL", build.Object.License);
        // The call of bpf_get_current_comm (helper 16) sits on line 22 of the file.
        var call = program.Instructions.First(i => i.IsHelperCall && i.Immediate == 16);
        Assert.Equal(22, program.LineOf(call.Index)!.Line);
        Assert.Contains("bpf_get_current_comm", program.LineOf(call.Index)!.SourceLine, StringComparison.Ordinal);
    }
}
