using Kgent.Kernel.Evaluation;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Evaluation;

/// <summary>The evaluation harness with <c>--lang c</c>: the same classification, with the C loop and the C oracle on this
/// kernel; and results of one language never resume into another's folder.</summary>
[Collection(KernelCollection.Name)]
public sealed class CEvalRunnerTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "kgent-eval-c-test-" + Guid.NewGuid().ToString("N")[..8]);

    private static EvalCase Case(string id) => EvalSuiteLoader.Load(EvalSuiteTests.SuiteDirectory).Cases.Single(c => c.Id == id);

    private static string Fenced(string program) => $"```c\n{program}```";

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private EvalOptions Options() =>
        new([EvalConfiguration.Feedback], 1, directory, Catalogs.Live, SymbolicCases.Contracts, Store: null, "scripted") { Language = "c" };

    [LibbpfFact]
    public async Task C_runs_are_classified_correct_false_positive_and_false_negative()
    {
        var evalCase = Case("files-read-bytes-total");
        var counting = evalCase.ReferenceC!.Replace("__sync_fetch_and_add(total, ret);", "__sync_fetch_and_add(total, 1);", StringComparison.Ordinal)
            .Replace("u64 first = ret;", "u64 first = 1;", StringComparison.Ordinal);

        var correct = await new EvalRunner(new ScriptedChatClient(Fenced(evalCase.ReferenceC!)), Options()).RunOneAsync(EvalConfiguration.Feedback, evalCase, 1);
        var falsePositive = await new EvalRunner(new ScriptedChatClient(Fenced(counting)), Options()).RunOneAsync(EvalConfiguration.Feedback, evalCase, 1);
        var falseNegative = await new EvalRunner(new ScriptedChatClient("no", "still no", "no C today"), Options()).RunOneAsync(EvalConfiguration.Feedback, evalCase, 1);

        Assert.Equal(EvalOutcome.Correct, correct.Outcome);
        Assert.Equal("not checked", correct.Verdict);
        Assert.Contains("clang", correct.StageMilliseconds.Keys);
        Assert.Contains("kernel verifier", correct.StageMilliseconds.Keys);
        Assert.Equal(EvalOutcome.FalsePositive, falsePositive.Outcome);
        Assert.NotEmpty(falsePositive.OracleFailures);
        Assert.Equal(EvalOutcome.FalseNegative, falseNegative.Outcome);
        Assert.Equal(["synthesis", "synthesis", "synthesis"], falseNegative.Rejections.ToArray());
    }

    [Fact]
    public async Task A_folder_of_bpftrace_results_is_not_resumed_in_c()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "evaluation.json"), $"{{\"suite\": \"{Path.GetFullPath(EvalSuiteTests.SuiteDirectory).Replace("\\", "\\\\", StringComparison.Ordinal)}\", \"model\": \"scripted\"}}");
        var suite = EvalSuiteLoader.Load(EvalSuiteTests.SuiteDirectory).Only("files-open-paths");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new EvalRunner(new ScriptedChatClient(), Options()).RunAsync(suite));

        Assert.Contains("language bpftrace, not c", error.Message, StringComparison.Ordinal);
    }
}
