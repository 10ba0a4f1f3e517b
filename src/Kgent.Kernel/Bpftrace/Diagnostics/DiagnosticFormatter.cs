using System.Text;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Diagnostics;

/// <summary>Renders diagnostics in compiler form:
/// <code>
/// file.bt:3:9: error KG1102: expected ';' after this statement
///     $a = 1 $b = 2
///           ^
///   hint: insert ';' here
/// </code>
/// The source line is echoed with its tabs so the caret lines up in a terminal.</summary>
public static class DiagnosticFormatter
{
    public static string Format(Diagnostic diagnostic, SourceText source)
    {
        var builder = new StringBuilder();
        Append(builder, diagnostic, source);
        return builder.ToString();
    }

    public static void Append(StringBuilder builder, Diagnostic diagnostic, SourceText source)
    {
        var start = source.GetLinePosition(diagnostic.Span.Start);
        builder.Append(source.Path).Append(':').Append(start.Line).Append(':').Append(start.Column).Append(": ")
            .Append(SeverityWord(diagnostic.Severity)).Append(' ').Append(diagnostic.Code).Append(": ")
            .Append(diagnostic.Message).Append('\n');

        var line = source.GetLineText(start.Line);
        builder.Append("    ").Append(line).Append('\n');
        builder.Append("    ").Append(CaretLine(line, start.Column, CaretWidth(diagnostic.Span, source, start, line))).Append('\n');
        if (diagnostic.Hint is { Length: > 0 } hint)
        {
            builder.Append("  hint: ").Append(hint).Append('\n');
        }
    }

    public static string SeverityWord(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };

    private static int CaretWidth(TextSpan span, SourceText source, LinePosition start, string line)
    {
        var end = source.GetLinePosition(span.End);
        var lastColumn = end.Line == start.Line ? end.Column : line.Length + 1;
        return Math.Max(1, lastColumn - start.Column);
    }

    private static string CaretLine(string line, int column, int width)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < column - 1 && i < line.Length; i++)
        {
            builder.Append(line[i] == '\t' ? '\t' : ' ');
        }

        for (var i = line.Length; i < column - 1; i++)
        {
            builder.Append(' ');
        }

        builder.Append('^');
        builder.Append('~', width - 1);
        return builder.ToString();
    }
}
