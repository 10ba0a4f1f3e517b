using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary><c>target[index]</c> on an array or pointer (map keys are part of <see cref="MapExpression"/>).</summary>
public sealed record IndexExpression(Expression Target, Expression Index, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Target, Index];
}
