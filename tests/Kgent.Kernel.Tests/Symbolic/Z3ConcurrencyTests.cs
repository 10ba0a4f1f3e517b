using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Symbolic;

/// <summary>Z3 4.8 (Debian's) is not safe against the managed binding releasing objects from the finalizer thread;
/// Kgent's shim queues those releases for the thread using the context. This runs verifications on several threads
/// while forcing collections and finalizers, the situation that used to corrupt Z3's reference counts.</summary>
public sealed class Z3ConcurrencyTests
{
    [Fact]
    public async Task Parallel_verifications_with_forced_finalization_give_the_same_verdicts()
    {
        var cases = SymbolicCases.Verdicts.Where(c => c.Name is not "while-beyond-exploration-bound").ToList();
        var expected = cases.ToDictionary(c => c.Name, c => c.Expected);
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Thread.Sleep(1);
            }
        });

        var results = new System.Collections.Concurrent.ConcurrentBag<(string Name, VerdictKind Verdict)>();
        Parallel.ForEach(Enumerable.Range(0, 4).SelectMany(_ => cases), new ParallelOptions { MaxDegreeOfParallelism = 4 }, verdictCase =>
        {
            var result = SymbolicVerifier.Verify(verdictCase.Program, verdictCase.Name + ".bt", Catalogs.Snapshot, SymbolicCases.Options);
            results.Add((verdictCase.Name, result.Overall));
        });
        stop.Cancel();
        await collector;

        Assert.Equal(cases.Count * 4, results.Count);
        Assert.All(results, r => Assert.Equal(expected[r.Name], r.Verdict));
    }
}
