using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Symbolic;

/// <summary>datasets/symbolic/verdicts.bt.txt: every case gets its expected verdict, on its expected line.</summary>
public sealed class VerdictSuiteTests
{
    [Theory]
    [MemberData(nameof(SymbolicCases.VerdictNames), MemberType = typeof(SymbolicCases))]
    public void Case_gets_its_expected_verdict(string name)
    {
        var verdictCase = SymbolicCases.Verdicts.Single(c => c.Name == name);
        var result = SymbolicVerifier.Verify(verdictCase.Program, name + ".bt", Catalogs.Snapshot, SymbolicCases.Options);

        Assert.Equal(verdictCase.Expected == VerdictKind.NothingToProve, result.Assertions.IsEmpty);
        Assert.True(verdictCase.Expected == result.Overall,
            $"expected {verdictCase.Expected}, got {result.Overall}: " + string.Join("; ", result.Assertions.Select(a => $"line {a.Position.Line}: {a.Verdict}")) +
            " notes: " + string.Join("; ", result.Notes));
        if (verdictCase.Line is { } line)
        {
            var failing = result.Assertions.Where(a => a.Verdict.Kind == verdictCase.Expected).Select(a => a.Position.Line).ToList();
            Assert.Equal([line], failing);
        }
    }

    [Fact]
    public void Suite_has_at_least_forty_cases_of_every_kind()
    {
        Assert.True(SymbolicCases.Verdicts.Count >= 40, $"only {SymbolicCases.Verdicts.Count} cases");
        foreach (var kind in Enum.GetValues<VerdictKind>().Where(k => k is not VerdictKind.Refused))
        {
            Assert.Contains(SymbolicCases.Verdicts, c => c.Expected == kind);
        }

        Assert.All(SymbolicCases.Verdicts.Where(c => c.Expected is VerdictKind.Counterexample or VerdictKind.Unsupported), c => Assert.NotNull(c.Line));
    }

    [Fact]
    public void Suite_covers_every_construct_the_executor_models()
    {
        var programs = string.Join("\n", SymbolicCases.Verdicts.Select(c => c.Program));
        string[] constructs =
        [
            "/pid", "if (", "else", "? ", "&&", "||", "unroll(", "while (", "break", "return", "exit()", "(uint8)", "(int8)", "(uint16)",
            "(uint32)", "<<", ">>", "& 0x", "args->", "->__sk_common", "pid", "tid", "uid", "comm", "nsecs", "cpu", "retval", "rand",
            "@", "count()", "delete(", "clear(", "str(", "bswap(", "ntohs(", "assume(", "+=", "++", "kstack", "hist(",
        ];
        Assert.All(constructs, construct => Assert.Contains(construct, programs, StringComparison.Ordinal));
    }
}
