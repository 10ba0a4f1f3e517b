using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>A scratch variable; <see cref="Name"/> includes the '$'.</summary>
public sealed record VariableExpression(string Name, TextSpan Span) : LeafExpression(Span);
