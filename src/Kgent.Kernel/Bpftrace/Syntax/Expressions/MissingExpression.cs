using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>Stands where an expression was expected but could not be parsed; a diagnostic has been reported.</summary>
public sealed record MissingExpression(TextSpan Span) : LeafExpression(Span);
