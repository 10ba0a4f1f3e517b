using System.Globalization;

namespace Kgent.Kernel.Symbolic;

/// <summary>How much one verification may spend, over the whole program: paths explored (every fork of an if, a loop
/// iteration or a short-circuit starts one), solver queries, and wall time. When one runs out, exploration stops and
/// every assertion it could not finish is "unknown: budget exhausted", naming the budget; a counterexample found before
/// that still stands. (Measured: 200 sequential ifs took 37 s and 1.4 GB without a budget.)</summary>
public sealed record SymbolicBudget(int Paths = 4096, int Queries = 2000, TimeSpan? Time = null)
{
    public static SymbolicBudget Default { get; } = new();

    public TimeSpan TimeLimit => Time ?? TimeSpan.FromSeconds(10);

    /// <summary>What ran out, in the words of the verdict, or null while everything is within the budget.</summary>
    internal string? Exhausted(int paths, int queries, TimeSpan elapsed) =>
        elapsed >= TimeLimit ? $"budget exhausted: the time budget ({TimeLimit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s) ran out"
        : queries >= Queries ? $"budget exhausted: the query budget ({Queries.ToString("N0", CultureInfo.InvariantCulture)} solver queries) was used up"
        : paths >= Paths ? $"budget exhausted: the path budget ({Paths.ToString("N0", CultureInfo.InvariantCulture)} paths) was used up"
        : null;
}
