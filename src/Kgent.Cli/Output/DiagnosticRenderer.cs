using System.Text;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Cli.Output;

/// <summary>Writes a parse result's diagnostics in compiler form, coloured when the console allows it: at most
/// <see cref="DiagnosticLimit.PerFile"/> of them, then a line that says how many more there are.</summary>
public static class DiagnosticRenderer
{
    public static void Write(TextWriter writer, ParseResult result, ConsoleStyle style) =>
        Write(writer, result.Diagnostics, result.Source, style);

    public static void Write(TextWriter writer, IEnumerable<Diagnostic> diagnostics, SourceText source, ConsoleStyle style)
    {
        var all = diagnostics.ToList();
        var (shown, omitted) = DiagnosticLimit.Cap(all);
        foreach (var diagnostic in shown)
        {
            var builder = new StringBuilder();
            DiagnosticFormatter.Append(builder, diagnostic, source);
            var text = builder.ToString();
            var word = DiagnosticFormatter.SeverityWord(diagnostic.Severity) + " " + diagnostic.Code;
            var coloured = diagnostic.IsError ? style.Error(word) : style.Warning(word);
            writer.Write(text.Replace(word, coloured, StringComparison.Ordinal));
        }

        if (omitted > 0)
        {
            writer.WriteLine(style.Dim(DiagnosticLimit.ClosingLine(source.Path, all.Skip(shown.Count))));
        }
    }
}
