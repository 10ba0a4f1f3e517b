using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary>An expression used as a statement, e.g. <c>printf(…)</c> or <c>@n++</c>.</summary>
public sealed record ExpressionStatement(Expression Expression, TextSpan Span) : Statement(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Expression];
}
