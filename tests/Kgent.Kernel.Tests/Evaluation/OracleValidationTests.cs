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

/// <summary>Every case has a reference program in libbpf C of our own (datasets/eval/c), and it passes the same oracle on
/// this kernel, compiled, loaded and run through libbpf.</summary>
[Collection(KernelCollection.Name)]
public sealed class COracleValidationTests
{
    private static readonly Lazy<Dictionary<string, EvalCase>> Cases =
        new(() => EvalSuiteLoader.Load(EvalSuiteTests.SuiteDirectory).Cases.ToDictionary(c => c.Id));

    [Fact]
    public void Every_case_has_a_c_reference()
    {
        var missing = Cases.Value.Values.Where(c => c.ReferenceC is null).Select(c => c.Id).ToList();

        Assert.Equal(40, Cases.Value.Count);
        Assert.Empty(missing);
    }

    [LibbpfTheory]
    [MemberData(nameof(OracleValidationTests.CaseIds), MemberType = typeof(OracleValidationTests))]
    public void C_reference_passes_the_oracle(string id)
    {
        var evalCase = Cases.Value[id];

        var verdict = OracleJudge.JudgeC(evalCase.Oracle!, evalCase.ReferenceC!, Catalogs.Live);

        Assert.True(verdict.Passed, $"{id}: the C reference fails its oracle: {string.Join("; ", verdict.Failures)}\noutput:\n{verdict.Output}");
    }

    [LibbpfFact]
    public void A_c_program_with_the_wrong_programs_mistake_fails_the_oracle()
    {
        // files-read-bytes-total's mistake in C: counting reads instead of adding up their bytes.
        var evalCase = Cases.Value["files-read-bytes-total"];
        var counting = evalCase.ReferenceC!.Replace("__sync_fetch_and_add(total, ret);", "__sync_fetch_and_add(total, 1);", StringComparison.Ordinal)
            .Replace("u64 first = ret;", "u64 first = 1;", StringComparison.Ordinal);
        Assert.NotEqual(evalCase.ReferenceC, counting);

        var verdict = OracleJudge.JudgeC(evalCase.Oracle!, counting, Catalogs.Live);

        Assert.False(verdict.Passed, verdict.Output);
        Assert.Contains("@bytes[kgevcat]: ", verdict.Output, StringComparison.Ordinal);
    }

    [LibbpfFact]
    public void A_c_program_on_another_hook_fails_the_oracle()
    {
        var evalCase = Cases.Value["files-open-paths"];
        var elsewhere = evalCase.ReferenceC!.Replace("tp/syscalls/sys_enter_openat", "tp/syscalls/sys_enter_close", StringComparison.Ordinal);

        var verdict = OracleJudge.JudgeC(evalCase.Oracle!, elsewhere, Catalogs.Live);

        Assert.False(verdict.Passed);
        Assert.Contains("attaches to tracepoint:syscalls:sys_enter_close, none of the acceptable", Assert.Single(verdict.Failures), StringComparison.Ordinal);
    }
}
