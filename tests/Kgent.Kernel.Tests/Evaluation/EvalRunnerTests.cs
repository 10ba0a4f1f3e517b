using Kgent.Kernel.Agent;
using Kgent.Kernel.Evaluation;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Tests.Support;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Tests.Evaluation;

[Collection(KernelCollection.Name)]
public sealed class EvalRunnerTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "kgent-eval-test-" + Guid.NewGuid().ToString("N")[..8]);

    private static EvalCase Case(string id) => EvalSuiteLoader.Load(EvalSuiteTests.SuiteDirectory).Cases.Single(c => c.Id == id);

    private static string Fenced(string program) => $"```bpftrace\n{program}```";

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The classification, with the real oracle on this kernel: the reference program comes back verified and
    /// passes (correct); the wrong program comes back verified and fails (false positive); a model that never writes a
    /// program makes the loop give up (false negative), and each attempt's rejecting stage is recorded.</summary>
    [BpftraceFact]
    public async Task Runs_are_classified_correct_false_positive_and_false_negative()
    {
        var evalCase = Case("files-open-paths");
        var options = new EvalOptions([EvalConfiguration.Feedback], 1, directory, Catalogs.Live, SymbolicCases.Contracts, Store: null, "scripted");

        var correct = await new EvalRunner(new ScriptedChatClient(Fenced(evalCase.Reference!)), options).RunOneAsync(EvalConfiguration.Feedback, evalCase, 1);
        var falsePositive = await new EvalRunner(new ScriptedChatClient(Fenced(evalCase.Wrong!)), options).RunOneAsync(EvalConfiguration.Feedback, evalCase, 1);
        var falseNegative = await new EvalRunner(new ScriptedChatClient("I cannot do that.", "Still no.", "No program, sorry."), options)
            .RunOneAsync(EvalConfiguration.Feedback, evalCase, 1);

        Assert.Equal(EvalOutcome.Correct, correct.Outcome);
        Assert.Equal("returned", correct.StoppedAt);
        Assert.Empty(correct.OracleFailures);
        Assert.Contains("kernel verifier", correct.StageMilliseconds.Keys);

        Assert.Equal(EvalOutcome.FalsePositive, falsePositive.Outcome);
        Assert.Equal(["output contains \"/etc/hostname\" failed"], falsePositive.OracleFailures.ToArray());

        Assert.Equal(EvalOutcome.FalseNegative, falseNegative.Outcome);
        Assert.Equal(3, falseNegative.Attempts);
        Assert.Equal(3, falseNegative.Rejections.Length);
        Assert.Equal(falseNegative.Rejections[^1], falseNegative.StoppedAt);
        Assert.Null(falseNegative.Program);
    }

    [Fact]
    public async Task A_prompt_without_an_oracle_reports_only_where_the_run_stopped()
    {
        var suite = EvalSuiteLoader.Prompts("prompts.txt", "count file opens by process\n");
        var runner = new EvalRunner(new ScriptedChatClient("no program here", "nor here", "nor here"),
            new EvalOptions([EvalConfiguration.Feedback], 1, directory, Catalogs.Snapshot, SymbolicCases.Contracts, null, "scripted", KernelLoad: Accept));

        var summary = await runner.RunAsync(suite);

        var row = Assert.Single(summary.Rows);
        Assert.Equal((1, 0, 1), (row.Runs, row.Returned, row.GaveUp));
        Assert.Contains("| feedback | 1 | 0 | 1 |", summary.ToMarkdown(), StringComparison.Ordinal);
    }

    /// <summary>A candidate the repair stage fixes costs no second model call, and the table says how many calls that saved;
    /// with repairs off the same run asks the model twice.</summary>
    [Fact]
    public async Task The_table_reports_the_model_calls_repairs_saved()
    {
        var suite = EvalSuiteLoader.Prompts("prompts.txt", "print the files being opened\n");
        const string typo = "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filenam)); }\n";
        const string right = "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filename)); }\n";
        var options = new EvalOptions([EvalConfiguration.Feedback], 1, Path.Combine(directory, "repair"), Catalogs.Snapshot, SymbolicCases.Contracts, null, "scripted", KernelLoad: Accept);

        var repaired = await new EvalRunner(new ScriptedChatClient(Fenced(typo), Fenced(right)), options).RunAsync(suite);
        var asked = await new EvalRunner(new ScriptedChatClient(Fenced(typo), Fenced(right)), options with { OutDirectory = Path.Combine(directory, "no-repair"), Repair = false }).RunAsync(suite);

        Assert.Equal((1, 1.0, 1), (Assert.Single(repaired.Rows).Returned, repaired.Rows[0].MeanAttempts, repaired.Rows[0].ModelCallsSaved));
        Assert.Contains("Repairs saved 1 model call (feedback 1).", repaired.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal((1, 2.0, 0), (Assert.Single(asked.Rows).Returned, asked.Rows[0].MeanAttempts, asked.Rows[0].ModelCallsSaved));
        Assert.DoesNotContain("Repairs saved", asked.ToMarkdown(), StringComparison.Ordinal);
    }

    /// <summary>Interrupting an evaluation and running it again with the same results folder gives the same table as one
    /// uninterrupted run, without repeating a finished run.</summary>
    [Fact]
    public async Task An_interrupted_evaluation_resumes_to_the_same_table()
    {
        var suite = EvalSuiteLoader.Load(EvalSuiteTests.SuiteDirectory) is var all ? all with { Cases = [.. all.Cases.Take(6)] } : null!;
        EvalOptions Options(string outDirectory) => new([EvalConfiguration.FewShot, EvalConfiguration.Feedback], 2, outDirectory, Catalogs.Snapshot, SymbolicCases.Contracts,
            null, "deterministic", Judge: (_, program) => program.Contains("@good", StringComparison.Ordinal) ? new OracleVerdict(true, [], "") : OracleVerdict.Fail("not good"),
            KernelLoad: Accept);

        var whole = await new EvalRunner(new DeterministicModel(), Options(Path.Combine(directory, "whole"))).RunAsync(suite);

        var interrupted = Path.Combine(directory, "interrupted");
        using var stop = new CancellationTokenSource();
        var progress = new InlineProgress<EvalProgress>(p =>
        {
            if (p.Done == 7)
            {
                stop.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new EvalRunner(new DeterministicModel(), Options(interrupted)).RunAsync(suite, progress, stop.Token));
        Assert.Equal(7, EvalResultsFile.Read(interrupted).Count);
        // A crash in the middle of writing leaves a torn line; it is ignored and that run is done again.
        File.AppendAllText(Path.Combine(interrupted, EvalResultsFile.FileName), "{\"configuration\":\"feedback\",\"caseId\":");

        var resumedProgress = new List<EvalProgress>();
        var resumed = await new EvalRunner(new DeterministicModel(), Options(interrupted)).RunAsync(suite, new InlineProgress<EvalProgress>(resumedProgress.Add));

        Assert.Equal(whole.ToMarkdown().Replace(" s |", string.Empty, StringComparison.Ordinal), resumed.ToMarkdown().Replace(" s |", string.Empty, StringComparison.Ordinal));
        Assert.Equal(whole.Rows.Select(r => (r.Correct, r.FalsePositives, r.FalseNegatives)), resumed.Rows.Select(r => (r.Correct, r.FalsePositives, r.FalseNegatives)));
        Assert.Equal(7, resumedProgress[0].Resumed);
        var runs = EvalResultsFile.Read(interrupted);
        Assert.Equal(24, runs.Count);
        Assert.Equal(24, runs.Select(r => r.Key).Distinct().Count());
        Assert.True(File.Exists(Path.Combine(interrupted, "summary.csv")) && File.Exists(Path.Combine(interrupted, "results.csv")));

        // Resuming with a case asked differently (an edited request, other hints) is refused rather than mixed.
        var edited = suite with { Cases = [suite.Cases[0] with { Request = suite.Cases[0].Request + " (edited)" }, .. suite.Cases.Skip(1)] };
        var changed = await Assert.ThrowsAsync<InvalidOperationException>(() => new EvalRunner(new DeterministicModel(), Options(interrupted)).RunAsync(edited));
        Assert.Contains($"holds a run of {suite.Cases[0].Id} (few-shot) for another request", changed.Message, StringComparison.Ordinal);

        // Resuming into the folder of another model's evaluation is refused rather than mixed.
        var other = Options(interrupted) with { ModelName = "another model" };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new EvalRunner(new DeterministicModel(), other).RunAsync(suite));
        Assert.Contains("holds results of another evaluation", error.Message, StringComparison.Ordinal);
    }

    private static LoadVerdict Accept(Kgent.Kernel.Bpftrace.Parsing.ParseResult parse) => new LoadVerdict.Accepted(["tracepoint:x:y"], TimeSpan.Zero, []);

    /// <summary>Answers from the request alone: a good program for file and memory cases, a wrong one for process cases,
    /// and no program for the rest (which then gives up).</summary>
    private sealed class DeterministicModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var request = messages.Last(m => m.Role == ChatRole.User).Text;
            var reply = request.Contains("file", StringComparison.OrdinalIgnoreCase) || request.Contains("read()", StringComparison.Ordinal)
                ? Fenced("tracepoint:syscalls:sys_enter_openat { @good = count(); }\n")
                : request.Contains("write()", StringComparison.Ordinal) ? Fenced("tracepoint:syscalls:sys_enter_openat { @bad = count(); }\n")
                : "no program";
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

/// <summary><c>kgent eval</c> end to end with the offline model on this kernel: the table on stdout, and the results
/// files and the charts page in --out.</summary>
[Collection(KernelCollection.Name)]
public sealed class EvalCommandTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "kgent-eval-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [BpftraceFact]
    public void Eval_writes_the_table_the_results_files_and_the_charts()
    {
        var (code, output, error) = CliHarness.Run("eval", "--suite", EvalSuiteTests.SuiteDirectory, "--only", "files-open-paths,proc-forks",
            "--configs", "few-shot,kgent", "--model", "offline", "--out", directory);

        Assert.True(code == 0, error);
        Assert.Contains("| few-shot | 2 |", output, StringComparison.Ordinal);
        Assert.Contains("| kgent | 2 |", output, StringComparison.Ordinal);
        Assert.Contains("model: offline retrieval model", output, StringComparison.Ordinal);
        foreach (var file in new[] { "results.jsonl", "results.csv", "summary.json", "summary.csv", "summary.md", "charts.html" })
        {
            Assert.True(File.Exists(Path.Combine(directory, file)), $"{file} was not written");
        }

        var charts = File.ReadAllText(Path.Combine(directory, "charts.html"));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(charts, "Plotly.newPlot\\('chart").Count);
        Assert.Equal(4, EvalResultsFile.Read(directory).Count);

        // Running it again resumes: nothing is repeated.
        var (again, output2, _) = CliHarness.Run("eval", "--suite", EvalSuiteTests.SuiteDirectory, "--only", "files-open-paths,proc-forks",
            "--configs", "few-shot,kgent", "--model", "offline", "--out", directory);
        Assert.Equal(0, again);
        Assert.Equal(4, EvalResultsFile.Read(directory).Count);
        Assert.Equal(output.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Select(l => string.Join('|', l.Split('|')[..6])),
            output2.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Select(l => string.Join('|', l.Split('|')[..6])));
    }
}

/// <summary>Ctrl-C (SIGINT) during <c>kgent eval</c>: the command stops at the next run, says what was kept and how to
/// resume, exits 130; the same command then finishes the rest.</summary>
[Collection(KernelCollection.Name)]
public sealed class EvalInterruptTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "kgent-eval-sigint-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [BpftraceFact]
    public void Sigint_stops_the_evaluation_keeps_the_finished_runs_and_the_rerun_resumes()
    {
        var cli = Path.Combine(Support.Corpus.RepositoryRoot, "src", "Kgent.Cli", "bin", "Release", "net10.0", "kgent.dll");
        string[] arguments = ["eval", "--suite", EvalSuiteTests.SuiteDirectory, "--only", "files", "--configs", "feedback", "--model", "offline", "--out", directory];
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[cli, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = new System.Text.StringBuilder();
        using var secondRun = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }

            if (e.Data?.Contains("[2/8]", StringComparison.Ordinal) == true)
            {
                secondRun.Set();
            }
        };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEndAsync();
        Assert.True(secondRun.Wait(TimeSpan.FromMinutes(2)), "no progress line for the second run:\n" + errors);
        Kgent.Kernel.Processes.PosixSignals.Send(process.Id, Kgent.Kernel.Processes.PosixSignals.Interrupt);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "kgent eval did not stop after SIGINT");
        process.WaitForExit();

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("interrupted:", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("run the same command again to resume", errors.ToString(), StringComparison.Ordinal);
        var kept = EvalResultsFile.Read(directory).Count;
        Assert.InRange(kept, 2, 7);
        Assert.DoesNotContain("| feedback |", output.Result, StringComparison.Ordinal);

        var (code, table, error) = CliHarness.Run(arguments);
        Assert.True(code == 0, error);
        Assert.Contains("| feedback | 8 |", table, StringComparison.Ordinal);
        Assert.Contains($"{kept} already in the results file (resuming)", error, StringComparison.Ordinal);
        Assert.Equal(8, EvalResultsFile.Read(directory).Count);
    }
}
