using System.Collections.Immutable;
using Kgent.Kernel.Symbolic;

namespace Kgent.Kernel.Intent;

/// <summary>What an obligation is about.</summary>
public enum ObligationKind
{
    /// <summary>The output is in a probe on a hook that observes the asked event.</summary>
    Hook,

    /// <summary>The output computes what was asked: prints each event, counts, sums, a histogram, …</summary>
    Computation,

    /// <summary>The result is keyed by what was asked.</summary>
    Key,

    /// <summary>The printed line shows the asked field.</summary>
    Field,

    /// <summary>The aggregated value is the asked quantity.</summary>
    Value,

    /// <summary>A latency's two ends belong to the same thread, process, task, request or CPU, and its unit is the asked one.</summary>
    Latency,

    /// <summary>The output happens exactly for the asked events (a filter, proved with Z3).</summary>
    Filter,

    /// <summary>The output is printed every so often.</summary>
    Period,

    /// <summary>An <c>assert(...)</c> of the annotated program (a value property: byte order, a converted field), proved with Z3.</summary>
    Assertion,
}

/// <summary>One thing the program must do for the request: what it is about, what the request asks (in Kgent's words),
/// the request words it comes from, and for semantic ones the condition Z3 decides.</summary>
public sealed record Obligation(ObligationKind Kind, string Asks, string Words, string? Condition = null);

public enum ObligationOutcome
{
    Proved,
    Refuted,
    Unknown,

    /// <summary>Not an obligation after all: it holds whatever the program does (vacuous), so it proves nothing.</summary>
    Dropped,
}

/// <summary>The decision about one obligation: its outcome, what the program does (the detail), the program line it
/// concerns, and for a refutation found by Z3 the inputs that show it.</summary>
public sealed record ObligationResult(Obligation Obligation, ObligationOutcome Outcome, string Detail, int? Line = null, ImmutableArray<ModelValue> Witness = default)
{
    public ImmutableArray<ModelValue> Inputs => Witness.IsDefault ? [] : Witness;

    /// <summary>One sentence for the prompter and the user: what the request asks, with its words, and what the program
    /// does instead, with the line.</summary>
    public string Message
    {
        get
        {
            var words = Obligation.Words.Length == 0 ? string.Empty : $" (\"{Obligation.Words}\")";
            var where = Line is { } line ? $" (line {line})" : string.Empty;
            var witness = Inputs.IsEmpty ? string.Empty : $"; for example {string.Join(", ", Inputs.Select(i => i.ToString()))}";
            return Outcome switch
            {
                ObligationOutcome.Proved => $"the request asks for {Obligation.Asks}{words}: {Detail}{where}",
                ObligationOutcome.Refuted => $"the request asks for {Obligation.Asks}{words}; {Detail}{where}{witness}",
                ObligationOutcome.Dropped => $"dropped: {Obligation.Asks}{words} holds whatever the program does ({Detail}), so it proves nothing",
                _ => $"not decided: {Obligation.Asks}{words}: {Detail}{where}",
            };
        }
    }
}

/// <summary>The intent checker's verdict on a program: verified only when at least one obligation was proved and none
/// failed or stayed undecided; "nothing to prove" when no obligation could be made or decided; refused when the program
/// has errors (shown instead).</summary>
public enum IntentVerdict
{
    Verified,
    Refuted,
    Unknown,
    NothingToProve,
    Refused,
}
