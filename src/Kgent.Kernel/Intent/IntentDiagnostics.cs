using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Intent;

/// <summary>Intent obligations as compiler diagnostics (KG41xx), pointing at the program line each one concerns, so a
/// refuted obligation renders like every other stage's error: the line, a caret, what the request asks.</summary>
public static class IntentDiagnostics
{
    public static readonly DiagnosticDescriptor ObligationRefuted = DiagnosticDescriptor.Error("KG4101", "the program does not do what the request asks");
    public static readonly DiagnosticDescriptor ObligationUnknown = DiagnosticDescriptor.Warning("KG4102", "obligation not decided");
    public static readonly DiagnosticDescriptor ObligationDropped = DiagnosticDescriptor.Warning("KG4103", "vacuous obligation dropped");

    /// <summary>One diagnostic per obligation that was not proved, in the program's own text.</summary>
    public static IEnumerable<Diagnostic> From(IntentReport report, SourceText program) =>
        report.Results.Where(r => r.Outcome != ObligationOutcome.Proved).Select(r => From(r, program));

    public static Diagnostic From(ObligationResult result, SourceText program)
    {
        var descriptor = result.Outcome switch
        {
            ObligationOutcome.Refuted => ObligationRefuted,
            ObligationOutcome.Dropped => ObligationDropped,
            _ => ObligationUnknown,
        };
        return new Diagnostic(descriptor, SpanOf(result.Line, program), result.Message, Hint(result));
    }

    /// <summary>The line's text without its indentation (the whole program's start when there is no line).</summary>
    public static TextSpan SpanOf(int? line, SourceText program)
    {
        if (line is not { } l || l < 1 || l > program.LineCount || program.Length == 0)
        {
            return TextSpan.Empty(0);
        }

        var start = program.GetOffset(new LinePosition(l, 1));
        var text = program.GetLineText(l);
        var indent = text.Length - text.TrimStart().Length;
        return new TextSpan(start + indent, Math.Max(1, text.Trim().Length));
    }

    private static string? Hint(ObligationResult result) => (result.Outcome, result.Obligation.Kind) switch
    {
        (ObligationOutcome.Refuted, ObligationKind.Filter) => $"make the predicate or if-condition equivalent to {result.Obligation.Condition}",
        (ObligationOutcome.Refuted, ObligationKind.Hook) => "attach to one of the hooks `kgent intent` lists for this event",
        (ObligationOutcome.Refuted, ObligationKind.Field) => "print the field the request names in the printf",
        (ObligationOutcome.Refuted, ObligationKind.Key) => "key the map by what the request names, e.g. @x[comm] for \"per process name\"",
        (ObligationOutcome.Dropped, _) => "an obligation that holds for every program cannot show that this one does what was asked",
        (ObligationOutcome.Unknown, _) => "edit the specification (kgent intent --json) or the program so the obligation can be decided",
        _ => null,
    };
}
