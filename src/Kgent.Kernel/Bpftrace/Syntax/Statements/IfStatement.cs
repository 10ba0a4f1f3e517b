using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary><c>if (cond) { … } [else { … } | else if …]</c>. <see cref="Else"/> is a <see cref="Block"/> or an <see cref="IfStatement"/>.</summary>
public sealed record IfStatement(Expression Condition, Block Then, Statement? Else, TextSpan Span) : Statement(Span)
{
    /// <summary>The condition was written without parentheses, <c>if $seen {</c> (bpftrace 0.24 and later).</summary>
    public bool BareCondition { get; init; }

    public override IEnumerable<SyntaxNode> ChildNodes() => Else is null ? [Condition, Then] : [Condition, Then, Else];
}
