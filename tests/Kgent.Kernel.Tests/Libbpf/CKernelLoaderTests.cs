using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Verify;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>The kernel verifier stage for C programs, against this kernel: accepted programs load and leave nothing loaded;
/// each rejected fixture is rejected at its stage, on its line, for its reason.</summary>
[Collection(KernelCollection.Name)]
public sealed class CKernelLoaderTests
{
    [LibbpfTheory]
    [MemberData(nameof(CFixtures.Rejected), MemberType = typeof(CFixtures))]
    public void Rejected_fixture_is_mapped_to_its_line_and_stage(string name)
    {
        var source = CFixtures.Load("rejected", name);
        var (stage, line, part) = CFixtures.Expectation(source);
        using var build = ClangCompiler.Compile(source);

        var verdict = CKernelLoader.Verify(build, new CVerifyOptions(Catalog: Catalogs.Live));

        var rejected = Assert.IsType<LoadVerdict.Rejected>(verdict);
        var said = $"{rejected.Stage}: {rejected.Message} / {rejected.Verifier?.Message}\n{rejected.RawLog}";
        Assert.True(stage == LoadDiagnostics.Stage(rejected.Stage), said);
        Assert.True(rejected.Message.Contains(part, StringComparison.Ordinal) || rejected.Verifier?.Message.Contains(part, StringComparison.Ordinal) == true, said);
        Assert.NotNull(rejected.Span);
        Assert.True(line == source.GetLinePosition(rejected.Span!.Value.Start).Line, $"expected line {line}, got {source.GetLinePosition(rejected.Span!.Value.Start).Line}: {said}");
        Assert.NotNull(rejected.Hint);
    }
}
