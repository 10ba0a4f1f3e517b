using System.Collections.Immutable;
using System.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Symbolic;

namespace Kgent.Kernel.Intent.Suite;

/// <summary>Runs the intent-check suite: each program is checked against its request's specification from the offline
/// reader (read once per request), and timed from reading the request to the verdict.</summary>
public static class IntentSuiteRunner
{
    public static ImmutableArray<IntentSuiteOutcome> Run(IEnumerable<IntentSuiteCase> cases, ProbeCatalog catalog, ContractSet contracts,
        IProgress<IntentSuiteOutcome>? progress = null, CancellationToken cancellation = default)
    {
        var outcomes = ImmutableArray.CreateBuilder<IntentSuiteOutcome>();
        foreach (var suiteCase in cases)
        {
            cancellation.ThrowIfCancellationRequested();
            var outcome = RunOne(suiteCase, catalog, contracts);
            outcomes.Add(outcome);
            progress?.Report(outcome);
        }

        return outcomes.ToImmutable();
    }

    /// <summary>One program: specification, obligations and Z3, timed together.</summary>
    public static IntentSuiteOutcome RunOne(IntentSuiteCase suiteCase, ProbeCatalog catalog, ContractSet contracts)
    {
        var clock = Stopwatch.StartNew();
        var spec = OfflineIntentReader.Read(suiteCase.Request, catalog);
        var report = IntentChecker.Check(spec, BpftraceParser.Parse(suiteCase.Program, $"{suiteCase.Id}.bt"), catalog, contracts, new SymbolicOptions(contracts));
        return new IntentSuiteOutcome(suiteCase, report, clock.Elapsed);
    }
}
