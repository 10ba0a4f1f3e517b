using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;

namespace Kgent.Kernel.Intent;

/// <summary>The value property of a latency in a unit, as an <c>assert(...)</c> the symbolic verifier proves: the
/// aggregated value equals the time since the start, converted to the asked unit
/// (<c>assert($delta == (nsecs - @start[tid]) / 1000);</c>). It is written on the answer's own line, just before the
/// answer, so the program keeps its line numbers, and the user sees (and can edit) it in the annotated program. Inside
/// an annotation <c>nsecs</c> is the program's last clock reading.</summary>
internal static class UnitAssertion
{
    /// <summary>The annotated text with the assertion inserted, where it starts, and the request words; null when the request asks
    /// no time unit, the answer is not an aggregation of a timestamp difference, or the start is deleted before the
    /// answer (the assertion would read the deleted entry).</summary>
    public static (string Text, int Offset, string Words)? Insert(IntentSpec spec, ProgramOutput answer, string annotated)
    {
        if (spec.Computation is not { Kind: ComputationKind.Latency } || spec.Unit is not { Unit: "ns" or "us" or "ms" or "s" } unit
            || answer.Kind == ComputationKind.Print || answer.Call is not { Arguments: [var written, ..] } || answer.Value is not { } value
            || StructuralObligations.FindDifference(value) is not { } difference)
        {
            return null;
        }

        var start = answer.Statement.Span.Start;
        var deletedBefore = answer.Probe.Body.DescendantNodesAndSelf().OfType<ExpressionStatement>()
            .Any(s => s.Span.Start < start && s.Expression is CallExpression { Name: "delete", Arguments: [MapExpression deleted, ..] } && deleted.Name == difference.Map);
        if (deletedBefore)
        {
            return null;
        }

        var since = $"nsecs - {difference.Map}[{string.Join(", ", difference.Keys.Select(BpftracePrinter.Print))}]";
        var expected = unit.Unit == "ns" ? since : $"({since}) / {StructuralObligations.Divisor(unit.Unit)}";
        var condition = $"{BpftracePrinter.Print(written)} == {expected}";
        return (annotated[..start] + $"assert({condition}); " + annotated[start..], start, unit.Words);
    }
}
