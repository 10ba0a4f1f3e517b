namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>Rebuilds an expression bottom-up, replacing every node for which <c>replace</c> returns a new one (the
/// replacement is not visited again).</summary>
public static class ExpressionRewriter
{
    public static Expression Rewrite(Expression expression, Func<Expression, Expression?> replace)
    {
        if (replace(expression) is { } replaced)
        {
            return replaced;
        }

        Expression Visit(Expression e) => Rewrite(e, replace);
        return expression switch
        {
            BinaryExpression b => b with { Left = Visit(b.Left), Right = Visit(b.Right) },
            UnaryExpression u => u with { Operand = Visit(u.Operand) },
            ConditionalExpression c => c with { Condition = Visit(c.Condition), WhenTrue = Visit(c.WhenTrue), WhenFalse = Visit(c.WhenFalse) },
            CastExpression c => c with { Operand = Visit(c.Operand) },
            FieldAccessExpression f => f with { Target = Visit(f.Target) },
            IndexExpression i => i with { Target = Visit(i.Target), Index = Visit(i.Index) },
            TupleAccessExpression t => t with { Target = Visit(t.Target) },
            TupleExpression t => t with { Elements = [.. t.Elements.Select(Visit)] },
            CallExpression c => c with { Arguments = [.. c.Arguments.Select(Visit)] },
            MapExpression m => m with { Keys = [.. m.Keys.Select(Visit)] },
            RecordExpression r => r with { Fields = [.. r.Fields.Select(f => f with { Value = Visit(f.Value) })] },
            RangeExpression r => r with { Start = Visit(r.Start), End = Visit(r.End) },
            _ => expression,
        };
    }
}
