using System.Collections.Immutable;
using Kgent.Kernel.Contracts;

namespace Kgent.Kernel.Symbolic;

/// <summary>Knobs of the symbolic verifier.</summary>
/// <param name="Contracts">Kernel contracts assumed at each hook (null: none).</param>
/// <param name="QueryTimeout">Per-query solver timeout; default 2 s.</param>
/// <param name="LoopBound">How many iterations of a <c>while</c> loop are explored before the path is cut (and its proofs become Unknown).</param>
/// <param name="MaxPaths">Paths explored per probe and attach point before exploration stops (Unknown).</param>
/// <param name="StringBound">Upper bound on the length of strings read from the kernel (bpftrace's default str() size minus the NUL).</param>
/// <param name="Smt2Directory">When set, every query is written there as SMT-LIB 2.</param>
/// <param name="Budget">What the whole verification may spend (paths, queries, time); default <see cref="SymbolicBudget.Default"/>.</param>
/// <param name="Allowed">Unsafe builtins the user allowed by name; any other makes the verifier refuse the program.</param>
/// <param name="Reach">Questions of the form "is this statement reached exactly when …" (the intent checker's filters).</param>
public sealed record SymbolicOptions(
    ContractSet? Contracts = null,
    TimeSpan? QueryTimeout = null,
    int LoopBound = 8,
    int MaxPaths = 512,
    int StringBound = 63,
    string? Smt2Directory = null,
    SymbolicBudget? Budget = null,
    Safety.SafetyAllowance? Allowed = null,
    ImmutableArray<ReachQuery> Reach = default)
{
    public static SymbolicOptions Default { get; } = new();

    /// <summary>The bpftrace release the program is written for (the checker's target; null: 0.17).</summary>
    public Version? TargetVersion { get; init; }

    public SymbolicBudget EffectiveBudget => Budget ?? SymbolicBudget.Default;

    public ImmutableArray<ReachQuery> ReachQueries => Reach.IsDefault ? [] : Reach;

    public TimeSpan Timeout => QueryTimeout ?? TimeSpan.FromSeconds(2);
}
