using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary><c>cond ? whenTrue : whenFalse</c>.</summary>
public sealed record ConditionalExpression(Expression Condition, Expression WhenTrue, Expression WhenFalse, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Condition, WhenTrue, WhenFalse];
}
