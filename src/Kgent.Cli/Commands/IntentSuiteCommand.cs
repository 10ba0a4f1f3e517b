using System.Globalization;
using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Intent.Suite;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent intent --suite DIR [--catalog F] [--contracts DIR] [--json]</c>: checks every program of the
/// intent-check suite against its request and compares the verdict with the one the data expects. Prints one line per
/// program that is not as expected, then the totals. Exit 0 when every program is as expected, 1 otherwise, 2 when the
/// suite, catalog or contracts cannot be loaded.</summary>
public static class IntentSuiteCommand
{
    public static int Run(string path, string? request, string? catalogPath, string? contractsPath, bool json, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        if (request is not null)
        {
            error.WriteLine("kgent: error: give either a request or --suite, not both");
            return 2;
        }

        System.Collections.Immutable.ImmutableArray<IntentSuiteCase> cases;
        try
        {
            cases = IntentSuiteLoader.Load(path);
        }
        catch (IntentSuiteException e)
        {
            error.WriteLine(e.Message);
            return 2;
        }

        using var workbench = CliWorkbench.Open(new WorkbenchOptions(Catalog: catalogPath, Contracts: contractsPath), error, style);
        System.Collections.Immutable.ImmutableArray<IntentSuiteOutcome> outcomes;
        try
        {
            outcomes = IntentSuiteRunner.Run(cases, workbench.Catalog, workbench.Contracts);
        }
        catch (WorkbenchException e)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }

        var wrong = outcomes.Where(o => !o.AsExpected).ToList();
        if (json)
        {
            Json.Write(output, new
            {
                suite = path,
                programs = outcomes.Length,
                asExpected = outcomes.Length - wrong.Count,
                falseAlarms = outcomes.Count(o => o.FalseAlarm),
                missed = outcomes.Count(o => o.Missed),
                disagreements = outcomes.Count(o => o.Case.Disagreement is not null),
                outcomes = outcomes.Select(o => new
                {
                    id = o.Case.Id,
                    kind = o.Case.Kind,
                    expect = o.Case.Expect.Json(),
                    verdict = o.Report.Verdict.Json(),
                    asExpected = o.AsExpected,
                    disagreement = o.Case.Disagreement,
                    refuted = o.Report.Refuted.Select(r => new { kind = IntentNames.Of(r.Obligation.Kind), line = r.Line, message = r.Message }),
                    milliseconds = Math.Round(o.Elapsed.TotalMilliseconds, 1),
                }),
            });
            return wrong.Count == 0 ? 0 : 1;
        }

        foreach (var outcome in wrong)
        {
            var expected = outcome.Case.Expect == IntentVerdict.Refuted ? $"refuted by {IntentNames.Of(outcome.Case.Obligation!.Value)} on line {outcome.Case.Line}" : "verified";
            output.WriteLine(style.Error($"{outcome.Case.Location}: {outcome.Case.Id}: expected {expected}, Kgent says {outcome.Report.VerdictText}"));
            foreach (var result in outcome.Report.Results.Where(r => r.Outcome != ObligationOutcome.Proved))
            {
                output.WriteLine(style.Dim($"    {IntentNames.Of(result.Obligation.Kind)}: {result.Message}"));
            }
        }

        foreach (var outcome in outcomes.Where(o => o.Case.Disagreement is not null))
        {
            output.WriteLine(style.Dim($"{outcome.Case.Id}: listed disagreement ({(outcome.AsExpected ? "still disagrees" : "now agrees: remove it from the data")}): {outcome.Case.Disagreement}"));
        }

        var medians = outcomes.Select(o => o.Elapsed.TotalMilliseconds).Order().ToList();
        var median = medians.Count == 0 ? 0 : medians[medians.Count / 2];
        var summary = $"{outcomes.Length} programs in {cases.Select(c => c.Category).Distinct().Count()} categories: {outcomes.Length - wrong.Count} as expected, " +
            $"{outcomes.Count(o => o.FalseAlarm)} false alarms, {outcomes.Count(o => o.Missed)} wrong programs verified; " +
            $"median check {median.ToString("F1", CultureInfo.InvariantCulture)} ms";
        output.WriteLine(wrong.Count == 0 ? style.Good(summary) : style.Error(summary));
        return wrong.Count == 0 ? 0 : 1;
    }

}
