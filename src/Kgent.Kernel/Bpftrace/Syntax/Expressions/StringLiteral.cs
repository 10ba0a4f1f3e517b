using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>A string literal: <see cref="Value"/> decoded, <see cref="Text"/> as written, quotes included.</summary>
public sealed record StringLiteral(string Value, string Text, TextSpan Span) : LeafExpression(Span);
