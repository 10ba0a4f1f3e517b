using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>An integer literal. <see cref="Value"/> holds its 64 bits (two's complement when
/// <see cref="IsNegative"/>, as bpftrace folds <c>-5</c> into one literal); <see cref="Text"/> its spelling.</summary>
public sealed record IntegerLiteral(ulong Value, bool IsNegative, string Text, TextSpan Span) : LeafExpression(Span)
{
    public long SignedValue => unchecked((long)Value);

    /// <summary>The unit of a duration literal such as <c>5ms</c> (bpftrace 0.24; <see cref="Value"/> is then in
    /// nanoseconds), or null.</summary>
    public string? DurationUnit => Lexing.IntegerLiteralParser.DurationUnit(Text);
}
