using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>A map, <c>@name</c> or <c>@name[k1, k2]</c>; <see cref="Name"/> includes the '@' (a bare <c>@</c> is the anonymous map).</summary>
public sealed record MapExpression(string Name, ImmutableArray<Expression> Keys, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => Keys;
}
