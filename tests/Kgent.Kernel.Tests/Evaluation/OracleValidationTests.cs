using Kgent.Kernel.Evaluation;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Evaluation;

/// <summary>The oracle itself is validated on this kernel: each case's reference program passes it and its deliberately
/// wrong program fails it.</summary>
[Collection(KernelCollection.Name)]
public sealed class OracleValidationTests
{
    public static TheoryData<string> CaseIds => [.. EvalSuiteLoader.Load(EvalSuiteTests.SuiteDirectory).Cases.Select(c => c.Id)];

    private static readonly Lazy<Dictionary<string, EvalCase>> Cases =
        new(() => EvalSuiteLoader.Load(EvalSuiteTests.SuiteDirectory).Cases.ToDictionary(c => c.Id));

    [BpftraceTheory]
    [MemberData(nameof(CaseIds))]
    public void Reference_passes_and_wrong_program_fails_the_oracle(string id)
    {
        var evalCase = Cases.Value[id];

        var reference = OracleJudge.Judge(evalCase.Oracle!, evalCase.Reference!, Catalogs.Live);
        var wrong = OracleJudge.Judge(evalCase.Oracle!, evalCase.Wrong!, Catalogs.Live);

        Assert.True(reference.Passed, $"{id}: the reference program fails its oracle: {string.Join("; ", reference.Failures)}\noutput:\n{reference.Output}");
        Assert.False(wrong.Passed, $"{id}: the wrong program passes the oracle\noutput:\n{wrong.Output}");
    }
}
