using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

public sealed record UnaryExpression(UnaryOperator Operator, Expression Operand, TextSpan Span) : Expression(Span)
{
    public bool IsPostfix => Operator is UnaryOperator.PostIncrement or UnaryOperator.PostDecrement;

    public override IEnumerable<SyntaxNode> ChildNodes() => [Operand];
}
