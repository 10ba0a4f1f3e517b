using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>A builtin variable: <c>pid</c>, <c>comm</c>, <c>arg0</c>, <c>args</c>, <c>retval</c>, ….</summary>
public sealed record BuiltinExpression(string Name, TextSpan Span) : LeafExpression(Span);
