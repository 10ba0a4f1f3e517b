using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

public sealed record WhileStatement(Expression Condition, Block Body, TextSpan Span) : Statement(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Condition, Body];
}
