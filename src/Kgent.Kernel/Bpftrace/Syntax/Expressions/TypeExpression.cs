using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>A type used where an expression stands, as in <c>sizeof(struct task_struct)</c>.</summary>
public sealed record TypeExpression(TypeSyntax Type, TextSpan Span) : LeafExpression(Span);
