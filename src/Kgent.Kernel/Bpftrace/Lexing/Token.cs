using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Lexing;

/// <summary>One token. <see cref="Text"/> is the source spelling; <see cref="StringValue"/> is a string
/// literal's decoded value and <see cref="IntegerValue"/> an integer literal's value.</summary>
public readonly record struct Token(TokenKind Kind, TextSpan Span, string Text, string? StringValue = null, ulong IntegerValue = 0)
{
    public bool Is(TokenKind kind) => Kind == kind;

    public bool IsIdentifier(string text) => Kind == TokenKind.Identifier && Text == text;

    public override string ToString() => Kind == TokenKind.EndOfFile ? "end of file" : $"'{Text}'";
}
