using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Kgent.Kernel.Evaluation;

/// <summary>One configuration's figures: the paper's accuracy / false positives / false negatives as shares of its runs,
/// plus attempts and time.</summary>
public sealed record EvalSummaryRow(
    string Configuration,
    int Runs,
    int Correct,
    int FalsePositives,
    int FalseNegatives,
    int Returned,
    int GaveUp,
    double MeanAttempts,
    double MedianSeconds,
    ImmutableDictionary<string, int> CaughtBy)
{
    /// <summary>Model calls the repair stage saved: attempts whose candidate was repaired instead of sent back.</summary>
    public int ModelCallsSaved { get; init; }

    public double Accuracy => Share(Correct);

    public double FalsePositiveRate => Share(FalsePositives);

    public double FalseNegativeRate => Share(FalseNegatives);

    private double Share(int count) => Runs == 0 ? 0 : (double)count / Runs;
}

/// <summary>The table of an evaluation, one row per configuration in the order they ran.</summary>
public sealed record EvalSummary(string Suite, string Model, int Cases, int Repetitions, bool HasOracles, ImmutableArray<EvalSummaryRow> Rows)
{
    public static EvalSummary Of(EvalSuite suite, string model, int repetitions, IEnumerable<string> configurations, IReadOnlyCollection<EvalRun> runs)
    {
        var rows = configurations.Select(name =>
        {
            var mine = runs.Where(r => r.Configuration == name).ToList();
            var seconds = mine.Select(r => r.TotalMilliseconds / 1000).Order().ToList();
            return new EvalSummaryRow(name, mine.Count,
                mine.Count(r => r.Outcome == EvalOutcome.Correct),
                mine.Count(r => r.Outcome == EvalOutcome.FalsePositive),
                mine.Count(r => r.Outcome == EvalOutcome.FalseNegative),
                mine.Count(r => r.Outcome == EvalOutcome.Returned),
                mine.Count(r => r.Outcome == EvalOutcome.GaveUp),
                mine.Count == 0 ? 0 : mine.Average(r => r.Attempts),
                seconds.Count == 0 ? 0 : seconds[seconds.Count / 2],
                mine.SelectMany(r => r.Rejections).GroupBy(s => s).ToImmutableDictionary(g => g.Key, g => g.Count()))
            {
                ModelCallsSaved = mine.Sum(r => r.Repairs),
            };
        });
        return new EvalSummary(suite.Source, model, suite.Cases.Length, repetitions, suite.HasOracles, [.. rows]);
    }

    /// <summary>A Markdown table (accuracy, FP, FN per configuration; for a prompts file, returned / gave up).</summary>
    public string ToMarkdown()
    {
        var builder = new StringBuilder();
        if (HasOracles)
        {
            builder.AppendLine("| configuration | runs | correct | false positive | false negative | mean attempts | median time |");
            builder.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var row in Rows)
            {
                builder.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Configuration} | {row.Runs} | {Percent(row.Accuracy)} ({row.Correct}) | {Percent(row.FalsePositiveRate)} ({row.FalsePositives}) | {Percent(row.FalseNegativeRate)} ({row.FalseNegatives}) | {row.MeanAttempts:F1} | {row.MedianSeconds:F1} s |");
            }
        }
        else
        {
            builder.AppendLine("| configuration | runs | returned a program | gave up | rejections by stage | mean attempts | median time |");
            builder.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var row in Rows)
            {
                var caught = string.Join(", ", row.CaughtBy.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"));
                builder.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Configuration} | {row.Runs} | {row.Returned} | {row.GaveUp} | {(caught.Length == 0 ? "none" : caught)} | {row.MeanAttempts:F1} | {row.MedianSeconds:F1} s |");
            }
        }

        if (Rows.Any(r => r.ModelCallsSaved > 0))
        {
            builder.AppendLine();
            builder.AppendLine(CultureInfo.InvariantCulture,
                $"Repairs saved {Rows.Sum(r => r.ModelCallsSaved)} model call{(Rows.Sum(r => r.ModelCallsSaved) == 1 ? string.Empty : "s")} ({string.Join(", ", Rows.Where(r => r.ModelCallsSaved > 0).Select(r => $"{r.Configuration} {r.ModelCallsSaved}"))}).");
        }

        return builder.ToString();
    }

    private static string Percent(double share) => (share * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";
}
