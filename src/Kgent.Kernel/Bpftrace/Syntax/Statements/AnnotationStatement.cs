using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

/// <summary>Kgent's Hoare-style annotations, <c>assume(cond);</c> and <c>assert(cond);</c>. They exist only
/// for the symbolic verifier; <see cref="Kgent.Kernel.Bpftrace.Printing.AnnotationStripper"/> removes them
/// before a program reaches the kernel.</summary>
public sealed record AnnotationStatement(AnnotationKind Kind, Expression Condition, TextSpan Span) : Statement(Span)
{
    public string Keyword => Kind == AnnotationKind.Assume ? "assume" : "assert";

    public override IEnumerable<SyntaxNode> ChildNodes() => [Condition];
}
