using System.Diagnostics;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Symbolic;

/// <summary>Every query can be written as SMT-LIB 2 and replayed with the z3 binary, which must give the answer Kgent got
/// through the API (sat / unsat).</summary>
public sealed class Smt2ReplayTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-smt2-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Z3BinaryFact]
    public void Replaying_the_verdict_suite_queries_with_z3_gives_the_same_answers()
    {
        var queries = new List<SolverQuery>();
        foreach (var (verdictCase, index) in SymbolicCases.Verdicts.Select((c, i) => (c, i)))
        {
            var options = SymbolicCases.Options with { Smt2Directory = Path.Combine(directory, $"{index:D3}-{verdictCase.Name}") };
            queries.AddRange(SymbolicVerifier.Verify(verdictCase.Program, verdictCase.Name + ".bt", Catalogs.Snapshot, options).Queries);
        }

        // Every query was written; replay a deterministic sample of them (every third, plus every sat one).
        Assert.All(queries, q => Assert.True(File.Exists(q.Smt2Path), $"query {q.Index} ({q.Purpose}) was not written"));
        var sample = queries.Where((q, i) => i % 3 == 0 || q.Answer == QueryAnswer.Sat).ToList();
        Assert.Contains(sample, q => q.Answer == QueryAnswer.Sat);
        Assert.Contains(sample, q => q.Answer == QueryAnswer.Unsat);
        foreach (var query in sample)
        {
            var replayed = RunZ3(query.Smt2Path!);
            var expected = query.Answer.ToString().ToLowerInvariant();
            Assert.True(expected == replayed, $"{query.Smt2Path}: Kgent got {expected}, z3 says {replayed} ({query.Purpose})");
        }
    }

    [Fact]
    public void Written_queries_are_self_contained_smt_lib()
    {
        var verdictCase = SymbolicCases.Verdicts.Single(c => c.Name == "predicate-missing");
        var options = SymbolicCases.Options with { Smt2Directory = directory };
        var query = Assert.Single(SymbolicVerifier.Verify(verdictCase.Program, "x.bt", Catalogs.Snapshot, options).Queries);

        var text = File.ReadAllText(query.Smt2Path!);
        Assert.Contains("(declare-fun", text, StringComparison.Ordinal);
        Assert.Contains("(assert", text, StringComparison.Ordinal);
        Assert.EndsWith("(check-sat)\n", text, StringComparison.Ordinal);
        Assert.Contains("; kgent answer: sat", text, StringComparison.Ordinal);
    }

    private static string RunZ3(string path)
    {
        var start = new ProcessStartInfo(Host.Z3Path!, ["-T:20", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var first = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "(no output)";
        return first;
    }
}
