using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>A bare name with no bpftrace meaning of its own: an enum or #define constant such as
/// <c>AF_INET</c>, or a stack mode such as <c>perf</c>.</summary>
public sealed record IdentifierExpression(string Name, TextSpan Span) : LeafExpression(Span);
