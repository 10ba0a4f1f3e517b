using System.Diagnostics;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Intent.Suite;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Benchmarks;

/// <summary>Figures for the intent check: wall time from the request to the verdict (the offline reader's
/// specification, the structural obligations, the annotation and every Z3 query) per program of the intent-check suite
/// (datasets/intent), as the median of 20 runs after 3 warm-ups; then the median, p95 and max over the programs, split
/// by whether Z3 was asked. Today's symbolic-verifier figures follow in the same run, as the anchor.</summary>
public static class IntentHarness
{
    public static void Run(string snapshot, TextWriter output)
    {
        var root = SymbexHarness.FindRoot();
        var catalog = CatalogSnapshot.Read(snapshot);
        var contracts = ContractLoader.Load(Path.Combine(root, "datasets", "contracts")).Contracts;
        var cases = IntentSuiteLoader.Load(Path.Combine(root, "datasets", "intent"));

        var first = Stopwatch.StartNew();
        IntentSuiteRunner.RunOne(cases[0], catalog, contracts);
        output.WriteLine($"first intent check in the process (Z3 load, JIT): {first.Elapsed.TotalMilliseconds:F0} ms");

        var rows = new List<(string Id, double Median, int Queries, string Verdict)>();
        foreach (var suiteCase in cases)
        {
            IntentSuiteOutcome outcome = null!;
            for (var i = 0; i < 3; i++)
            {
                outcome = IntentSuiteRunner.RunOne(suiteCase, catalog, contracts);
            }

            var samples = Enumerable.Range(0, 20).Select(_ => IntentSuiteRunner.RunOne(suiteCase, catalog, contracts).Elapsed.TotalMilliseconds).Order().ToList();
            rows.Add((suiteCase.Id, samples[samples.Count / 2], outcome.Report.Symbolic?.Queries.Length ?? 0, outcome.Report.VerdictText));
        }

        void Line(string what, IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            output.WriteLine(sorted.Count == 0 ? $"{what}: none"
                : $"{what}: {sorted.Count} programs, median {SymbexHarness.Percentile(sorted, 0.5):F2} ms, p95 {SymbexHarness.Percentile(sorted, 0.95):F2} ms, max {sorted[^1]:F2} ms");
        }

        output.WriteLine($"intent check (specification + obligations + Z3) per program of datasets/intent, each timed 20× after 3 warm-ups (budget: median ≤ 50 ms):");
        Line("all", rows.Select(r => r.Median));
        Line("with Z3 queries", rows.Where(r => r.Queries > 0).Select(r => r.Median));
        Line("structural only", rows.Where(r => r.Queries == 0).Select(r => r.Median));
        output.WriteLine();
        output.WriteLine("slowest ten:");
        output.WriteLine("| program | median | Z3 queries | verdict |");
        output.WriteLine("|---|---|---|---|");
        foreach (var row in rows.OrderByDescending(r => r.Median).Take(10))
        {
            output.WriteLine($"| {row.Id} | {row.Median:F2} ms | {row.Queries} | {row.Verdict} |");
        }

        output.WriteLine();
        output.WriteLine("anchor, same run: the symbolic verifier alone on its own suite (kgent symbex without a request)");
        SymbexHarness.Run(snapshot, output);
    }
}
