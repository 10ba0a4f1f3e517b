using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;

namespace Kgent.Kernel.Intent;

/// <summary>An expression as the intent checker compares it: its canonical text with what does not change its meaning
/// for a key or a printed field taken away — <c>str()</c>, <c>ntop()</c>, casts, a unary minus (an error number printed positive) —
/// <c>args.x</c> spelled <c>args->x</c>, and byte swaps kept as <c>ntohs(…)</c>. Patterns (see <see cref="FieldRoles"/>)
/// are matched against that text.</summary>
internal static class ExpressionShape
{
    public static string Canonical(Expression expression) => Print(Unwrap(expression));

    /// <summary>True when the expression denotes one of the patterns.</summary>
    public static bool Matches(Expression expression, IEnumerable<string> patterns)
    {
        var text = Canonical(expression);
        return patterns.Any(p => Matches(text, p));
    }

    public static bool Matches(string text, string pattern)
    {
        if (pattern.StartsWith("ntohs(*", StringComparison.Ordinal))
        {
            var field = pattern["ntohs(*".Length..^1];
            return text.StartsWith("ntohs(", StringComparison.Ordinal) && EndsWithField(text[6..^1], field);
        }

        if (pattern.StartsWith('*'))
        {
            return !text.StartsWith("ntohs(", StringComparison.Ordinal) && EndsWithField(text, pattern[1..]);
        }

        return text == pattern;
    }

    private static bool EndsWithField(string text, string field) =>
        text == field || text.EndsWith("->" + field, StringComparison.Ordinal) || text.EndsWith("." + field, StringComparison.Ordinal);

    /// <summary>Takes away str(), ntop(), casts and a unary minus; bswap/htons/ntohs become ntohs.</summary>
    public static Expression Unwrap(Expression expression)
    {
        while (true)
        {
            switch (expression)
            {
                case CallExpression { Name: "str" or "buf", Arguments.Length: >= 1 } call:
                    expression = call.Arguments[0];
                    continue;
                case CallExpression { Name: "ntop", Arguments.Length: 1 or 2 } ntop:
                    // An address shown as text is the address field itself.
                    expression = ntop.Arguments[^1];
                    continue;
                case CastExpression cast:
                    expression = cast.Operand;
                    continue;
                case UnaryExpression { Operator: UnaryOperator.Negate } negate:
                    expression = negate.Operand;
                    continue;
                case CallExpression { Name: "bswap" or "htons" or "ntohs", Arguments.Length: 1 } swap when swap.Name != "ntohs":
                    return swap with { Name = "ntohs" };
                default:
                    return expression;
            }
        }
    }

    private static string Print(Expression expression)
    {
        var text = BpftracePrinter.Print(expression);
        return text.StartsWith("args.", StringComparison.Ordinal) ? "args->" + text[5..] : text.Replace("(args.", "(args->", StringComparison.Ordinal);
    }
}
