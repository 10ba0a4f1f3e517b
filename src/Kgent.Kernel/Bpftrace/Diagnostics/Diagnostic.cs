using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Diagnostics;

/// <summary>One finding about a program: a code, a severity, the span it points at, a message, and a hint
/// when the fix is obvious. Positions are resolved against the <see cref="SourceText"/> when printed.</summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, TextSpan Span, string Message, string? Hint = null)
{
    public string Code => Descriptor.Code;

    public DiagnosticSeverity Severity => Descriptor.Severity;

    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The one edit that fixes this without changing the program's meaning, when there is exactly one.</summary>
    public TextFix? Fix { get; init; }
}
