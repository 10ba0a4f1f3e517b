using Kgent.Charts;
using Kgent.Kernel.Evaluation;

namespace Kgent.Cli.Output;

/// <summary>charts.html beside an evaluation's results: accuracy / false positives / false negatives per configuration
/// (grouped, as in the paper's Table 1), mean time per pipeline stage, and how many attempts runs took. Plotly.NET
/// figures with plotly.js inlined, so the page opens offline.</summary>
public static class EvalCharts
{
    public static string Write(string directory, EvalSummary summary, IReadOnlyList<EvalRun> runs)
    {
        var configurations = summary.Rows.Select(r => r.Configuration).ToArray();
        var headings = new List<string>();
        var figures = new List<string>();
        if (summary.HasOracles)
        {
            headings.Add("Accuracy, false positives and false negatives per configuration (% of runs)");
            figures.Add(BarChart.GroupedFigureJson(configurations, ["correct", "false positive", "false negative"],
            [
                [.. summary.Rows.Select(r => r.Accuracy * 100)],
                [.. summary.Rows.Select(r => r.FalsePositiveRate * 100)],
                [.. summary.Rows.Select(r => r.FalseNegativeRate * 100)],
            ], "% of runs"));
        }
        else
        {
            headings.Add("Runs that returned a program, and runs that gave up, per configuration");
            figures.Add(BarChart.GroupedFigureJson(configurations, ["returned", "gave up"],
                [[.. summary.Rows.Select(r => (double)r.Returned)], [.. summary.Rows.Select(r => (double)r.GaveUp)]], "runs"));
        }

        var mine = runs.Where(r => configurations.Contains(r.Configuration)).ToList();
        var stages = mine.SelectMany(r => r.StageMilliseconds.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (stages.Length > 0)
        {
            headings.Add("Mean time per run in each pipeline stage (ms)");
            figures.Add(BarChart.GroupedFigureJson(stages, configurations,
                [.. configurations.Select(c => stages.Select(s => Mean(mine.Where(r => r.Configuration == c), s)).ToArray())], "ms per run"));
        }

        var most = Math.Max(1, mine.Select(r => r.Attempts).DefaultIfEmpty(1).Max());
        var attempts = Enumerable.Range(1, most).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        headings.Add("Attempts per run");
        figures.Add(BarChart.GroupedFigureJson(attempts, configurations,
            [.. configurations.Select(c => Enumerable.Range(1, most).Select(n => (double)mine.Count(r => r.Configuration == c && r.Attempts == n)).ToArray())], "runs"));

        var path = Path.Combine(directory, "charts.html");
        Kgent.Kernel.Platform.SafeFile.WriteAllText(path, ChartPage.Html($"Kgent evaluation: {Path.GetFileName(summary.Suite.TrimEnd('/'))}, {summary.Model}", [.. headings], [.. figures]));
        return path;
    }

    private static double Mean(IEnumerable<EvalRun> runs, string stage)
    {
        var list = runs.ToList();
        return list.Count == 0 ? 0 : list.Average(r => r.StageMilliseconds.GetValueOrDefault(stage));
    }
}
