using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary><c>{ statement; statement; … }</c>. The span covers the braces.</summary>
public sealed record Block(ImmutableArray<Statement> Statements, TextSpan Span) : Statement(Span)
{
    /// <summary>The last statement is an expression without ';', the block's value (a macro's result, bpftrace 0.24).
    /// Set for macro bodies only.</summary>
    public bool EndsWithValue { get; init; }

    public override IEnumerable<SyntaxNode> ChildNodes() => Statements;
}
