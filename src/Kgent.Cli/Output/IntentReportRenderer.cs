using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Intent;

namespace Kgent.Cli.Output;

/// <summary>Prints an intent check: one line per proved obligation, a compiler diagnostic (line, caret, hint) per one
/// that failed, stayed undecided or was dropped as vacuous, and a summary whose verdict is honest: "verified" only
/// when something was proved and nothing failed.</summary>
public static class IntentReportRenderer
{
    public static void Write(TextWriter output, IntentReport report, SourceText program, ConsoleStyle style)
    {
        output.WriteLine(style.Dim($"{program.Path}: checked against \"{report.Spec.Request}\" ({report.Spec.Producer} specification)"));
        if (report.Verdict == IntentVerdict.Refused)
        {
            DiagnosticRenderer.Write(output, report.Errors, program, style);
            output.WriteLine(style.Error($"{program.Path}: refused: the program has errors; nothing was verified"));
            return;
        }

        foreach (var result in report.Results)
        {
            if (result.Outcome == ObligationOutcome.Proved)
            {
                var where = result.Line is { } line ? $"{program.Path}:{line}" : program.Path;
                output.WriteLine($"{where}: {style.Good("proved")}: {result.Message}");
                continue;
            }

            DiagnosticRenderer.Write(output, [IntentDiagnostics.From(result, program)], program, style);
        }

        foreach (var note in report.Spec.NotUnderstood)
        {
            output.WriteLine(style.Dim($"not checked: {note}"));
        }

        var counts = report.Results.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        var parts = Enum.GetValues<ObligationOutcome>().Where(counts.ContainsKey).Select(o => $"{counts[o]} {o.ToString().ToLowerInvariant()}");
        var summary = $"{program.Path}: {report.VerdictText}: {report.Results.Length} obligation{(report.Results.Length == 1 ? string.Empty : "s")}" +
            (report.Results.IsEmpty ? string.Empty : $" ({string.Join(", ", parts)})");
        output.WriteLine(report.Verdict switch
        {
            IntentVerdict.Verified => style.Good(summary),
            IntentVerdict.Refuted => style.Error(summary),
            _ => style.Warning(summary),
        });
    }
}
