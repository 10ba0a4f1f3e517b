using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary><c>{ statement; statement; … }</c>. The span covers the braces.</summary>
public sealed record Block(ImmutableArray<Statement> Statements, TextSpan Span) : Statement(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => Statements;
}
