using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Symbolic;

namespace Kgent.Kernel.Intent;

/// <summary>What the intent checker concluded about a program and a request: the specification, every obligation with its
/// outcome, the annotated program the symbolic verifier ran (its assert lines are the value properties), the symbolic
/// result, and the errors that made it refuse the program.</summary>
public sealed record IntentReport(IntentSpec Spec, ImmutableArray<ObligationResult> Results, string Annotated, SymbolicResult? Symbolic,
    ImmutableArray<Diagnostic> Errors)
{
    /// <summary>The program as checked, before annotation: the text the obligations' line numbers refer to.</summary>
    public string Program { get; init; } = string.Empty;

    public IntentVerdict Verdict =>
        !Errors.IsEmpty ? IntentVerdict.Refused
        : Results.Any(r => r.Outcome == ObligationOutcome.Refuted) ? IntentVerdict.Refuted
        : !Results.Any(r => r.Outcome == ObligationOutcome.Proved) ? IntentVerdict.NothingToProve
        : Results.Any(r => r.Outcome == ObligationOutcome.Unknown) ? IntentVerdict.Unknown
        : IntentVerdict.Verified;

    public bool IsVerified => Verdict == IntentVerdict.Verified;

    public IEnumerable<ObligationResult> Refuted => Results.Where(r => r.Outcome == ObligationOutcome.Refuted);

    /// <summary>"verified", "refuted", "unknown", "nothing to prove", "refused".</summary>
    public string VerdictText => Verdict.Display();

    /// <summary>Warnings: obligations dropped as vacuous.</summary>
    public IEnumerable<string> Warnings => Results.Where(r => r.Outcome == ObligationOutcome.Dropped).Select(r => r.Message);
}
