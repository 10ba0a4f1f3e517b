using System.Collections.Immutable;
using Kgent.Kernel.Symbolic.Values;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Symbolic;

/// <summary>One path through a probe: its path condition, the variables and maps as they stand, the branch decisions
/// taken and the inputs read so far. Immutable, so forking at a branch is a copy of references.</summary>
internal sealed record PathState(
    ImmutableList<Term> Conditions,
    ImmutableDictionary<string, SymValue> Variables,
    ImmutableDictionary<string, string> VariableOrigins,
    ImmutableDictionary<string, MapState> Maps,
    ImmutableList<string> Path,
    ImmutableList<InputSymbol> Inputs,
    FlowStatus Status,
    Term? LastNsecs)
{
    public static PathState Initial { get; } = new(
        [], ImmutableDictionary<string, SymValue>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, MapState>.Empty.WithComparers(StringComparer.Ordinal), [], [], FlowStatus.Running, null);

    public bool IsRunning => Status == FlowStatus.Running;

    /// <summary>The conditions of the assertions checked so far on this path. Later assertions are checked where these
    /// held (one bug is reported once), but whether an output is reached does not depend on them: an assertion does
    /// not stop the program.</summary>
    public ImmutableList<Term> Asserted { get; init; } = [];

    public PathState Assume(Term condition) => condition.IsTrue ? this : this with { Conditions = Conditions.Add(condition) };

    public PathState Step(string decision) => this with { Path = Path.Add(decision) };

    public PathState Read(InputSymbol input) => Inputs.Any(i => i.Name == input.Name) ? this : this with { Inputs = Inputs.Add(input) };
}

internal enum FlowStatus
{
    Running,
    Returned,
    Broke,
    Continued,
}

/// <summary>A value the probe reads from outside (a builtin, an argument, kernel memory, a map entry stored earlier),
/// named as the program writes it, for counterexamples.</summary>
internal sealed record InputSymbol(string Name, Term Term, int Bits, bool Signed);

/// <summary>A map as a functional array: its contents before the probe fired (an uninterpreted function of the key,
/// or all zeros after <c>clear()</c>) and the writes made on this path, newest last.</summary>
internal sealed record MapState(ImmutableList<MapWrite> Writes, bool Cleared, string? Aggregation);

internal sealed record MapWrite(ImmutableArray<Term> Key, Term Value);
