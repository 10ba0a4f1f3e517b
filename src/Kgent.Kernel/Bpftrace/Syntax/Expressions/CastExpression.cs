using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary><c>(type)operand</c>, e.g. <c>(struct sock *)arg0</c>.</summary>
public sealed record CastExpression(TypeSyntax Type, Expression Operand, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Operand];
}
