using System.Collections.Concurrent;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Examples;

/// <summary>datasets/ebpfnl: size, validity against the catalog and the kernel, and a clean train/test split.</summary>
public sealed class EbpfnlDatasetTests
{
    private static readonly Lazy<IReadOnlyList<DatasetPair>> Pairs = new(() =>
    {
        var (pairs, problems) = EbpfnlDataset.Load(Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "ebpfnl"));
        return problems.Count == 0 ? pairs : throw new InvalidOperationException(string.Join('\n', problems));
    });

    [Fact]
    public void Dataset_has_at_least_150_pairs_with_a_recorded_split()
    {
        Assert.True(Pairs.Value.Count >= 150, $"{Pairs.Value.Count} pairs");
        var test = Pairs.Value.Count(p => p.Split == "test");
        Assert.InRange(test, Pairs.Value.Count / 10, Pairs.Value.Count / 3);
        Assert.Equal(Pairs.Value.Count, Pairs.Value.Select(p => p.Request).Distinct().Count());
    }

    [Fact]
    public void Every_program_passes_the_semantic_checker()
    {
        var failures = Pairs.Value
            .Select(p => (p.Id, Result: SemanticChecker.Check(p.Program, p.Id + ".bt", Catalogs.Snapshot)))
            .Where(r => r.Result.Diagnostics.Any(d => d.IsError) || r.Result.Parse.HasErrors)
            .Select(r => $"{r.Id}: {string.Join("; ", r.Result.Errors.Select(e => e.Message))}")
            .ToList();

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void No_test_request_is_a_near_duplicate_of_a_train_request()
    {
        var train = Pairs.Value.Where(p => p.Split == "train").ToList();
        var close = Pairs.Value.Where(p => p.Split == "test")
            .SelectMany(t => train.Select(r => (Test: t.Request, Train: r.Request, Similarity: RequestSimilarity.Jaccard(t.Request, r.Request))))
            .Where(p => p.Similarity >= 0.7)
            .ToList();

        Assert.True(close.Count == 0, string.Join('\n', close.Select(c => $"{c.Similarity:F2}: '{c.Test}' ~ '{c.Train}'")));
    }

    [Fact]
    public void Similarity_detects_near_duplicates()
    {
        Assert.True(RequestSimilarity.Jaccard("Count file opens by process name.", "count the file opens by process name") >= 0.99);
        Assert.True(RequestSimilarity.Jaccard("Count file opens by process name.", "Histogram of disk I/O sizes") < 0.1);
    }

    [BpftraceFact]
    public void Every_program_loads_into_this_kernel()
    {
        var failures = new ConcurrentBag<string>();
        Parallel.ForEach(Pairs.Value, new ParallelOptions { MaxDegreeOfParallelism = 4 }, pair =>
        {
            if (KernelLoader.Verify(BpftraceParser.Parse(pair.Program, pair.Id + ".bt")) is LoadVerdict.Rejected rejected)
            {
                failures.Add($"{pair.Id}: {LoadDiagnostics.Stage(rejected.Stage)}: {rejected.Message}");
            }
        });

        Assert.True(failures.IsEmpty, string.Join('\n', failures.Order()));
    }

    [Fact]
    public void Malformed_dataset_entries_are_reported_with_their_place()
    {
        var directory = Directory.CreateTempSubdirectory("kgent-dataset-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "bad.yaml"),
                "examples:\n- id: a\n  split: train\n  request: r\n  program: p\n- id: a\n  split: train\n  request: r2\n  program: p2\n- id: b\n  split: dev\n  request: r\n  program: p\n- id: c\n  split: test\n");

            var (pairs, problems) = EbpfnlDataset.Load(directory);

            Assert.Single(pairs);
            Assert.Contains(problems, p => p.Contains("'a' is used twice", StringComparison.Ordinal) && p.Contains("bad.yaml:6:", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("split must be 'train' or 'test', not 'dev'", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("needs id, request and program", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
