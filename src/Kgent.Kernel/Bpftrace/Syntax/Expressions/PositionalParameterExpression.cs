using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary><c>$1</c>…<c>$N</c>, or <c>$#</c> (the parameter count) when <see cref="Index"/> is null.</summary>
public sealed record PositionalParameterExpression(int? Index, TextSpan Span) : LeafExpression(Span)
{
    public string Text => Index is { } index ? "$" + index : "$#";
}
