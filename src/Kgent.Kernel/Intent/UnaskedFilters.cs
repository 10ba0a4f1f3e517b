using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;

namespace Kgent.Kernel.Intent;

/// <summary>Filters the request did not ask for: the answer's probe keeps only one process name or PID
/// (<c>/comm == "that"/</c>) while the request names none. A program that reports on one process when every process
/// was asked for is wrong however well the rest is written, and models add such filters from words like "the command
/// that". Only equality with a literal counts: excluding something (<c>comm != "bpftrace"</c>, <c>pid != 0</c>) is not
/// a restriction to one process.</summary>
internal static class UnaskedFilters
{
    public static IEnumerable<ObligationResult> Decide(IntentSpec spec, ProgramOutput answer, ProgramFacts facts)
    {
        var askedName = spec.Filters.Any(f => f.Kind == FilterKind.ProcessName);
        var askedPid = spec.Filters.Any(f => f.Kind == FilterKind.Pid);
        foreach (var (condition, line) in Conditions(answer, facts))
        {
            foreach (var restriction in Restrictions(condition))
            {
                var (isName, text) = restriction;
                if (isName ? askedName : askedPid)
                {
                    continue;
                }

                var obligation = new Obligation(ObligationKind.Filter, isName ? "every process, whatever its name (no process name is asked for)" : "every process (no PID is asked for)",
                    string.Empty, text);
                yield return new ObligationResult(obligation, ObligationOutcome.Refuted, $"line {line} keeps only {text}", line);
            }
        }
    }

    /// <summary>The conditions that must hold for the answer to run: the probe's predicate and the ifs whose then-branch holds it.</summary>
    private static IEnumerable<(Expression Condition, int Line)> Conditions(ProgramOutput answer, ProgramFacts facts)
    {
        if (answer.Probe.Predicate is { } predicate)
        {
            yield return (predicate, facts.Line(predicate.Span.Start));
        }

        foreach (var branch in answer.Probe.Body.DescendantNodesAndSelf().OfType<IfStatement>().Where(i => i.Then.Span.Contains(answer.Statement.Span)))
        {
            yield return (branch.Condition, facts.Line(branch.Condition.Span.Start));
        }
    }

    /// <summary>Equalities of comm or pid/tid with a literal, reached through &amp;&amp; only (an || or a negation is not a restriction).</summary>
    private static IEnumerable<(bool IsName, string Text)> Restrictions(Expression condition)
    {
        switch (condition)
        {
            case BinaryExpression { Operator: BinaryOperator.LogicalAnd } and:
                foreach (var inner in Restrictions(and.Left).Concat(Restrictions(and.Right)))
                {
                    yield return inner;
                }

                break;
            case BinaryExpression { Operator: BinaryOperator.Equal } equal when (Subject(equal.Left, equal.Right) ?? Subject(equal.Right, equal.Left)) is { } isName:
                yield return (isName, BpftracePrinter.Print(equal));
                break;
            // !strncmp(comm, "x", n): the name starts with x.
            case UnaryExpression { Operator: UnaryOperator.LogicalNot, Operand: CallExpression { Name: "strncmp", Arguments: [var a, var b, _] } } not
                when (Subject(a, b) ?? Subject(b, a)) is true:
                yield return (true, BpftracePrinter.Print(not));
                break;
        }
    }

    /// <summary>true when <paramref name="subject"/> is comm and the other side a string literal; false when it is pid or
    /// tid against an integer literal; null otherwise.</summary>
    private static bool? Subject(Expression subject, Expression other) => (ExpressionShape.Unwrap(subject), other) switch
    {
        (BuiltinExpression { Name: "comm" }, StringLiteral) => true,
        (BuiltinExpression { Name: "pid" or "tid" }, IntegerLiteral) => false,
        _ => null,
    };
}
