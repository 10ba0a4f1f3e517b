using System.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Symbolic;

namespace Kgent.Benchmarks;

/// <summary>Figures for the symbolic verifier: wall time of <see cref="SymbolicVerifier.Verify(ParseResult, ProbeCatalog?, SymbolicOptions?)"/>
/// (Z3 context, symbolic execution and every query) per annotated program of datasets/symbolic, as the median of 20 runs
/// after 3 warm-up runs; then the median and p95 over the programs.</summary>
public static class SymbexHarness
{
    public static void Run(string snapshot, TextWriter output)
    {
        var root = FindRoot();
        var catalog = CatalogSnapshot.Read(snapshot);
        var contracts = ContractLoader.Load(Path.Combine(root, "datasets", "contracts")).Contracts;
        var options = new SymbolicOptions(contracts);
        var programs = Programs(root).ToList();

        var first = Stopwatch.StartNew();
        SymbolicVerifier.Verify(programs[0].Parse, catalog, options);
        output.WriteLine($"first verification in the process (Z3 load, JIT): {first.Elapsed.TotalMilliseconds:F0} ms; Z3 {SymbolicVerifier.SolverVersion}");

        var rows = new List<(string Name, double Median, int Queries, VerdictKind Verdict)>();
        foreach (var (name, parse) in programs)
        {
            SymbolicResult result = null!;
            for (var i = 0; i < 3; i++)
            {
                result = SymbolicVerifier.Verify(parse, catalog, options);
            }

            var samples = Enumerable.Range(0, 20).Select(_ => Time(() => SymbolicVerifier.Verify(parse, catalog, options))).Order().ToList();
            rows.Add((name, samples[samples.Count / 2], result.Queries.Length, result.Overall));
        }

        var medians = rows.Select(r => r.Median).Order().ToList();
        output.WriteLine($"{rows.Count} annotated programs (datasets/symbolic: verdict suite + case study), each timed 20× after 3 warm-ups:");
        output.WriteLine($"median {Percentile(medians, 0.5):F2} ms, p95 {Percentile(medians, 0.95):F2} ms, max {medians[^1]:F2} ms per program");
        output.WriteLine();
        output.WriteLine("slowest ten:");
        output.WriteLine("| program | median | queries | verdict |");
        output.WriteLine("|---|---|---|---|");
        foreach (var row in rows.OrderByDescending(r => r.Median).Take(10))
        {
            output.WriteLine($"| {row.Name} | {row.Median:F2} ms | {row.Queries} | {row.Verdict.ToString().ToLowerInvariant()} |");
        }
    }

    private static IEnumerable<(string Name, ParseResult Parse)> Programs(string root)
    {
        var directory = Path.Combine(root, "datasets", "symbolic");
        foreach (var file in Directory.GetFiles(Path.Combine(directory, "case-study"), "*.annotated.bt").Order(StringComparer.Ordinal))
        {
            yield return (Path.GetFileName(file), BpftraceParser.Parse(File.ReadAllText(file), file));
        }

        string? name = null;
        var body = new List<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(directory, "verdicts.bt.txt")).Append("### end"))
        {
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    yield return (name, BpftraceParser.Parse(string.Join("\n", body), name + ".bt"));
                }

                name = line[4..].Split('|')[0].Trim();
                body.Clear();
            }
            else if (name is not null)
            {
                body.Add(line);
            }
        }
    }

    internal static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    internal static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kgent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("run the benchmark from inside the Kgent repository");
    }
}
