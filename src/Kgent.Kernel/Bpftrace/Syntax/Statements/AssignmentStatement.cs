using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary><c>target = value</c> or a compound form such as <c>@bytes[comm] += args->ret</c>.
/// <see cref="CompoundOperator"/> is null for plain '='. The target is a variable or a map.</summary>
public sealed record AssignmentStatement(Expression Target, BinaryOperator? CompoundOperator, Expression Value, TextSpan Span) : Statement(Span)
{
    /// <summary>The span of <c>let</c> when the statement is a declaration, <c>let $p = value;</c> (bpftrace 0.22 and
    /// later); null for a plain assignment. The parser reads it whatever the target version, and the checker says when
    /// the target lacks it.</summary>
    public TextSpan? Let { get; init; }

    /// <summary>The type a declaration names, <c>let $n: uint64 = 0;</c>, or null.</summary>
    public TypeSyntax? DeclaredType { get; init; }

    public override IEnumerable<SyntaxNode> ChildNodes() => [Target, Value];
}
