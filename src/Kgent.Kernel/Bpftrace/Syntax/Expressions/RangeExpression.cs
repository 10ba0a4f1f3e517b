using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary><c>start..end</c>, the range a bpftrace 0.24 for loop runs over (end excluded).</summary>
public sealed record RangeExpression(Expression Start, Expression End, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Start, End];
}
