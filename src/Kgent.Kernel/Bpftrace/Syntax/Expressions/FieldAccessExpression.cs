using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary><c>target.field</c>, or <c>target->field</c> when <see cref="IsArrow"/>.</summary>
public sealed record FieldAccessExpression(Expression Target, string Field, bool IsArrow, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Target];
}
