using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>A function call such as <c>printf("%d\n", pid)</c> or <c>count()</c>.</summary>
public sealed record CallExpression(string Name, ImmutableArray<Expression> Arguments, TextSpan NameSpan, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => Arguments;
}
