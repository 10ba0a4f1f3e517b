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
/// The source line is echoed with its tabs so the caret lines up in a terminal. A long line is clipped to a window of
/// <see cref="LineWindow"/> characters around the caret (marked with '…'), and a message or hint that quotes a huge token
/// is cut, so one diagnostic stays a few lines however large the program is.</summary>
public static class DiagnosticFormatter
{
    /// <summary>The most characters of a source line echoed under a diagnostic.</summary>
    public const int LineWindow = 120;

    /// <summary>The most characters of a message or a hint.</summary>
    public const int TextLimit = 400;

    private const int ContextBeforeCaret = 40;

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
            .Append(Clip(diagnostic.Message)).Append('\n');

        var line = source.GetLineText(start.Line);
        var width = CaretWidth(diagnostic.Span, source, start, line);
        var (shown, column) = Window(line, start.Column);
        width = Math.Max(1, Math.Min(width, shown.Length - column + 2));
        builder.Append("    ").Append(shown).Append('\n');
        builder.Append("    ").Append(CaretLine(shown, column, width)).Append('\n');
        if (diagnostic.Hint is { Length: > 0 } hint)
        {
            builder.Append("  hint: ").Append(Clip(hint)).Append('\n');
        }
    }

    /// <summary>The part of a long line shown around the caret, and the caret's column in it.</summary>
    internal static (string Shown, int Column) Window(string line, int column)
    {
        if (line.Length <= LineWindow)
        {
            return (line, column);
        }

        var from = Math.Clamp(column - 1 - ContextBeforeCaret, 0, Math.Max(0, line.Length - LineWindow));
        var to = Math.Min(line.Length, from + LineWindow);
        var shown = (from > 0 ? "…" : string.Empty) + line[from..to] + (to < line.Length ? "…" : string.Empty);
        return (shown, column - from + (from > 0 ? 1 : 0));
    }

    /// <summary>The text, cut at <see cref="TextLimit"/> characters.</summary>
    public static string Clip(string text) => text.Length <= TextLimit ? text : text[..TextLimit] + "…";

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
