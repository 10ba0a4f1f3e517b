using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Diagnostics;

/// <summary>A diagnostic resolved to a file position: the machine-readable shape (JSON, notebooks, the prompter).
/// Lines and columns are 1-based; the end is exclusive.</summary>
public sealed record LocatedDiagnostic(
    string Path,
    int Line,
    int Column,
    int EndLine,
    int EndColumn,
    string Code,
    string Severity,
    string Message,
    string? Hint)
{
    public static LocatedDiagnostic From(Diagnostic diagnostic, SourceText source)
    {
        var start = source.GetLinePosition(diagnostic.Span.Start);
        var end = source.GetLinePosition(diagnostic.Span.End);
        return new LocatedDiagnostic(source.Path, start.Line, start.Column, end.Line, end.Column, diagnostic.Code,
            DiagnosticFormatter.SeverityWord(diagnostic.Severity), diagnostic.Message, diagnostic.Hint);
    }
}
