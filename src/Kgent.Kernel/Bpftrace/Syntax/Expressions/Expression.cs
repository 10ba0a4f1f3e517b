using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

public abstract record Expression(TextSpan Span) : SyntaxNode(Span);

/// <summary>An expression with no children.</summary>
public abstract record LeafExpression(TextSpan Span) : Expression(Span)
{
    public sealed override IEnumerable<SyntaxNode> ChildNodes() => [];
}
