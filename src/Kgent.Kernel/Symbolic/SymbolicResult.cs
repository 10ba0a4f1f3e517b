using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Kernel.Symbolic;

/// <summary>What the symbolic verifier concluded about a program: one result per assertion, the overall verdict (the worst
/// of them; Verified when every assertion is proved), notes about what was approximated, and every solver query.</summary>
public sealed record SymbolicResult(
    ParseResult Parse,
    ImmutableArray<AssertionResult> Assertions,
    ImmutableArray<string> Notes,
    ImmutableArray<SolverQuery> Queries,
    ImmutableArray<string> ContractsUsed)
{
    public VerdictKind Overall => Assertions.Length == 0
        ? VerdictKind.Verified
        : Assertions.MaxBy(a => a.Verdict.Severity)!.Verdict.Kind;

    public bool IsVerified => Overall == VerdictKind.Verified;

    public IEnumerable<AssertionResult> Failures => Assertions.Where(a => a.Verdict.Kind != VerdictKind.Verified);
}
