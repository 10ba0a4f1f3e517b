using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Left, Right];
}
