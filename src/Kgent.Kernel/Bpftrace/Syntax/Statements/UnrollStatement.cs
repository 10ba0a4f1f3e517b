using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary><c>unroll(N) { … }</c>; N is an integer literal or a positional parameter.</summary>
public sealed record UnrollStatement(Expression Count, Block Body, TextSpan Span) : Statement(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Count, Body];
}
