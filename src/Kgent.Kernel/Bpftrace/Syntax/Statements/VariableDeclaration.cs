using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary><c>let $p;</c> or <c>let $p: uint64;</c>, bpftrace 0.22's declaration without a value (the variable is
/// zero until assigned). A declaration with a value is an <see cref="AssignmentStatement"/> with its <c>Let</c> span.</summary>
public sealed record VariableDeclaration(VariableExpression Variable, TypeSyntax? Type, TextSpan Span) : Statement(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Variable];
}
