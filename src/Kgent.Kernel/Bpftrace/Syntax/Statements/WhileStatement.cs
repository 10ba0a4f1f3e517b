using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

public sealed record WhileStatement(Expression Condition, Block Body, TextSpan Span) : Statement(Span)
{
    /// <summary>The condition was written without parentheses, <c>if $seen {</c> (bpftrace 0.24 and later).</summary>
    public bool BareCondition { get; init; }

    public override IEnumerable<SyntaxNode> ChildNodes() => [Condition, Body];
}
