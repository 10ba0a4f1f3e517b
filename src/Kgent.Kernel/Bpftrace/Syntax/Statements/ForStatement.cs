using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary><c>for ($kv : @map) { … }</c> (bpftrace 0.21) or <c>for ($i : 0..10) { … }</c> (0.24): the loop variable,
/// what it runs over (a <see cref="MapExpression"/> or a <see cref="RangeExpression"/>) and the body.</summary>
public sealed record ForStatement(VariableExpression Variable, Expression Source, Block Body, TextSpan Span) : Statement(Span)
{
    /// <summary>The header was written without parentheses, <c>for $i : 0..10 {</c> (bpftrace 0.24 and later).</summary>
    public bool BareHeader { get; init; }

    public override IEnumerable<SyntaxNode> ChildNodes() => [Variable, Source, Body];
}
