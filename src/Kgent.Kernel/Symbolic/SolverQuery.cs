namespace Kgent.Kernel.Symbolic;

/// <summary>One question put to Z3: what it was for, its typed answer, how long it took and, when requested, the file
/// holding it as SMT-LIB 2 (replayable with <c>z3 FILE</c>).</summary>
public sealed record SolverQuery(int Index, string Purpose, QueryAnswer Answer, TimeSpan Elapsed, string? Smt2Path);

/// <summary>Z3's status for a query, mapped from <c>Microsoft.Z3.Status</c>.</summary>
public enum QueryAnswer
{
    Sat,
    Unsat,
    Unknown,
}
