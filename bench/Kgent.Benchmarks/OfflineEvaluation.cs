using Kgent.Kernel.Agent;
using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Benchmarks;

/// <summary>How the offline retrieval model does on the dataset's held-out test split. Each request runs the full loop
/// (check, comprehension + symbolic verifier, kernel load; 3 tries) against a fresh store holding the train split.
/// "Passes" = the loop returned a program. "Does what was asked" (the stated rule) = the program attaches to at least one
/// of the hooks the reference program of that pair uses.</summary>
public static class OfflineEvaluation
{
    public static void Run(TextWriter output)
    {
        var root = Root();
        var (pairs, _) = EbpfnlDataset.Load(Path.Combine(root, "datasets", "ebpfnl"));
        var contracts = ContractLoader.Load(Path.Combine(root, "datasets", "contracts")).Contracts;
        var catalog = CatalogLoader.LoadLive();
        var test = pairs.Where(p => p.Split == "test").ToList();
        var (passed, asked, total, unverified) = (0, 0, 0, 0);
        var attempts = 0;
        var overheadShares = new List<double>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        output.WriteLine("| id | loop | on a hook of the reference | attempts | request |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var pair in test)
        {
            var path = Path.Combine(Path.GetTempPath(), $"kgent-eval-{Guid.NewGuid():N}.db");
            try
            {
                using var store = ExampleStore.Open(path);
                store.AddRange(pairs.Where(p => p.Split == "train").Select(p => p.ToExample()));
                var loop = new SynthesisLoop(new OfflineRetrievalModel(catalog, contracts),
                    new SynthesisOptions(Catalog: catalog, Contracts: contracts, Store: store, ModelName: OfflineRetrievalModel.Name));
                var wall = System.Diagnostics.Stopwatch.StartNew();
                var result = loop.RunAsync(pair.Request).GetAwaiter().GetResult();
                wall.Stop();
                var stages = result.Attempts.SelectMany(a => a.Timings).ToList();
                var model = stages.Where(t => t.Stage is "synthesis" or "comprehension").Sum(t => t.Elapsed.TotalMilliseconds);
                var kernel = stages.Where(t => t.Stage == "kernel verifier").Sum(t => t.Elapsed.TotalMilliseconds);
                overheadShares.Add((wall.Elapsed.TotalMilliseconds - model - kernel) / wall.Elapsed.TotalMilliseconds);
                total++;
                attempts += result.Attempts.Length;
                var ok = result is SynthesisResult.Succeeded { IsVerified: true };
                var loopVerdict = result switch
                {
                    SynthesisResult.Succeeded { IsVerified: true } => "verified",
                    SynthesisResult.Succeeded returned => $"returned, not verified ({returned.Verdict})",
                    _ => "gave up",
                };
                unverified += result is SynthesisResult.Succeeded { IsVerified: false } ? 1 : 0;
                var hooks = Hooks(pair.Program);
                var did = result is SynthesisResult.Succeeded s && Hooks(s.Program).Overlaps(hooks);
                passed += ok ? 1 : 0;
                asked += did ? 1 : 0;
                output.WriteLine($"| {pair.Id} | {loopVerdict} | {(did ? "yes" : "no")} | {result.Attempts.Length} | {pair.Request} |");
            }
            finally
            {
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }

        output.WriteLine();
        output.WriteLine($"offline retrieval model on the {total} test requests: {passed} ({100.0 * passed / total:F0}%) verified (checker, intent check against the request, kernel load); " +
            $"{unverified} returned but not verified; " +
            $"{asked} ({100.0 * asked / total:F0}%) also attach to a hook of the reference program; {attempts / (double)total:F1} attempts on average; {watch.Elapsed.TotalSeconds:F0} s in all");
        overheadShares.Sort();
        output.WriteLine($"pipeline overhead outside the model calls and the kernel load (checker, symbolic verifier, retrieval, the loop itself): " +
            $"median {100 * overheadShares[overheadShares.Count / 2]:F1}%, p95 {100 * overheadShares[(int)(overheadShares.Count * 0.95)]:F1}% of a synthesis's wall time");
    }

    private static HashSet<string> Hooks(string program) =>
        [.. BpftraceParser.Parse(program).Program.Probes.SelectMany(p => p.AttachPoints).Select(a => a.CanonicalText).Where(t => t.StartsWith("tracepoint:", StringComparison.Ordinal))];

    private static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kgent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the Kgent repository");
    }
}
