using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Porting;
using Kgent.Kernel.Evaluation;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Tests.Evaluation;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Versions;

/// <summary>Every evaluation case's reference program, ported with <c>fmt --to</c> to 0.23.2 and to 0.27.1, ports
/// completely and passes its oracle when that real release runs it (from its chroot), as the original does under 0.17.
/// On 0.23, which reads __data_loc fields at a wrong address (fixed in 0.24), the three references that read one are
/// ported to the same event's raw tracepoint.</summary>
[Collection(KernelCollection.Name)]
public sealed class PortedReferenceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<string> CaseIds => OracleValidationTests.CaseIds;

    private static readonly Lazy<Dictionary<string, EvalCase>> Cases =
        new(() => EvalSuiteLoader.Load(EvalSuiteTests.SuiteDirectory).Cases.ToDictionary(c => c.Id));

    [BpftraceTreeTheory("trixie")]
    [MemberData(nameof(CaseIds))]
    public void Reference_ported_to_0_23_passes_its_oracle_under_0_23(string id) => PortAndJudge(id, "trixie", new Version(0, 23, 2));

    [BpftraceTreeTheory("sid")]
    [MemberData(nameof(CaseIds))]
    public void Reference_ported_to_0_27_passes_its_oracle_under_0_27(string id) => PortAndJudge(id, "sid", new Version(0, 27, 1));

    private void PortAndJudge(string id, string suite, Version release)
    {
        var evalCase = Cases.Value[id];
        var port = DialectPorter.Port(BpftraceParser.Parse(evalCase.Reference!, id + ".bt"), release, Catalogs.Live);
        Assert.False(port.Ported.HasErrors, RoundTrip.Describe(port.Ported));
        Assert.True(port.IsComplete, $"{id}: " + string.Join("; ", port.Unported.Select(d => d.Message)));

        var loading = new VerifyOptions(Catalog: Catalogs.Live, BpftracePath: $"chroot {BpftraceTrees.Tree(suite)} bpftrace");
        var verdict = OracleJudge.Judge(evalCase.Oracle!, port.Text, Catalogs.Live, loading);
        if (!verdict.Passed && verdict.Failures.Any(f => f.Contains("did not finish loading", StringComparison.Ordinal)))
        {
            // Seen once in CI (0.27.1, a two-tracepoint program, no output in 30 s) and never when rerun: one more try,
            // said in the output, so a real hang still fails.
            output.WriteLine($"{id}: bpftrace {release} did not finish loading in time; trying once more");
            verdict = OracleJudge.Judge(evalCase.Oracle!, port.Text, Catalogs.Live, loading);
        }
        Assert.True(verdict.Passed, $"{id} under bpftrace {release}: {string.Join("; ", verdict.Failures)}\nported:\n{port.Text}\noutput:\n{verdict.Output}");
    }
}
