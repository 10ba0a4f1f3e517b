using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary><c>(e1, e2, …)</c>, two or more elements.</summary>
public sealed record TupleExpression(ImmutableArray<Expression> Elements, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => Elements;
}
