using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary><c>target = value</c> or a compound form such as <c>@bytes[comm] += args->ret</c>.
/// <see cref="CompoundOperator"/> is null for plain '='. The target is a variable or a map.</summary>
public sealed record AssignmentStatement(Expression Target, BinaryOperator? CompoundOperator, Expression Value, TextSpan Span) : Statement(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Target, Value];
}
