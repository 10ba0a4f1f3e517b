using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Kernel.Symbolic;

/// <summary>What the symbolic verifier concluded about a program: one result per assertion, the overall verdict (the worst
/// of them; Verified when every assertion is proved), notes about what was approximated, and every solver query. A program
/// the safety policy refuses is not verified at all: <see cref="Refusal"/> says why and the verdict is Refused.</summary>
public sealed record SymbolicResult(
    ParseResult Parse,
    ImmutableArray<AssertionResult> Assertions,
    ImmutableArray<string> Notes,
    ImmutableArray<SolverQuery> Queries,
    ImmutableArray<string> ContractsUsed)
{
    /// <summary>The answers to the reach queries of <see cref="SymbolicOptions.Reach"/>, one per query and hook.</summary>
    public ImmutableArray<ReachResult> Reaches { get; init; } = [];

    /// <summary>The safety policy's review when it refused the program (nothing was verified), else null.</summary>
    public Safety.SafetyReview? Refusal { get; init; }

    /// <summary>The worst verdict of the assertions; <see cref="VerdictKind.NothingToProve"/> without any, never Verified then.</summary>
    public VerdictKind Overall => Refusal is not null ? VerdictKind.Refused
        : Assertions.Length == 0 ? VerdictKind.NothingToProve
        : Assertions.MaxBy(a => a.Verdict.Severity)!.Verdict.Kind;

    public bool IsVerified => Overall == VerdictKind.Verified;

    public IEnumerable<AssertionResult> Failures => Assertions.Where(a => a.Verdict.Kind != VerdictKind.Verified);
}
