using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary><c>return [expr]</c>, <c>break</c> or <c>continue</c>.</summary>
public sealed record JumpStatement(JumpKind Kind, Expression? Value, TextSpan Span) : Statement(Span)
{
    public string Keyword => Kind switch
    {
        JumpKind.Break => "break",
        JumpKind.Continue => "continue",
        _ => "return",
    };

    public override IEnumerable<SyntaxNode> ChildNodes() => Value is null ? [] : [Value];
}
