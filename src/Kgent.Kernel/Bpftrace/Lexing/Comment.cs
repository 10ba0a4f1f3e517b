using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Lexing;

/// <summary>A source comment (<c>// …</c> or <c>/* … */</c>), kept so the printer can reproduce it.</summary>
public sealed record Comment(string Text, TextSpan Span)
{
    public bool IsLineComment => Text.StartsWith("//", StringComparison.Ordinal);
}
