using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary><c>true</c> or <c>false</c>, bpftrace 0.24's boolean values.</summary>
public sealed record BooleanLiteral(bool Value, TextSpan Span) : LeafExpression(Span);
