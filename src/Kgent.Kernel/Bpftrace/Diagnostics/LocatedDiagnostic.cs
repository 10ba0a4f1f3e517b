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
            DiagnosticFormatter.SeverityWord(diagnostic.Severity), DiagnosticFormatter.Clip(diagnostic.Message),
            diagnostic.Hint is null ? null : DiagnosticFormatter.Clip(diagnostic.Hint));
    }

    /// <summary>The first <see cref="DiagnosticLimit.PerFile"/> diagnostics, located, and how many were left out.</summary>
    public static (IReadOnlyList<LocatedDiagnostic> Shown, int Omitted) Capped(IEnumerable<Diagnostic> diagnostics, SourceText source)
    {
        var (shown, omitted) = DiagnosticLimit.Cap(diagnostics);
        return ([.. shown.Select(d => From(d, source))], omitted);
    }
}
