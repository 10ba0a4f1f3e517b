using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>A builtin variable: <c>pid</c>, <c>comm</c>, <c>arg0</c>, <c>args</c>, <c>retval</c>, ….</summary>
public sealed record BuiltinExpression(string Name, TextSpan Span) : LeafExpression(Span)
{
    /// <summary>Written call-style, <c>comm()</c> (bpftrace 0.24 and later); <see cref="Span"/> then covers the "()".</summary>
    public bool CallStyle { get; init; }
}
