using System.Globalization;
using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Evaluation;
using Kgent.Kernel.Examples;
using Spectre.Console;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent eval --suite DIR|FILE --out DIR [--configs a,b] [--reps N] [--model offline|NAME]</c>: the paper's
/// Table 1 method with an automatic oracle; resumes from DIR/results.jsonl. <c>--validate</c> instead checks each case's
/// oracle against its reference program (must pass) and its wrong program (must fail) on this kernel.</summary>
public static class EvalCommand
{
    public static int Run(string suitePath, string? outDirectory, string? configurations, int repetitions, string? model, string? only, bool validate,
        string? hints, TextWriter output, TextWriter error, ConsoleStyle style, bool noRepair = false, bool c = false)
    {
        EvalSuite suite;
        try
        {
            suite = EvalSuiteLoader.Load(suitePath);
            if (hints is not null)
            {
                suite = EvalSuiteLoader.WithHints(suite, hints);
            }
        }
        catch (EvalSuiteException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine($"kgent: error: {e.Problems.Count} problem(s) in the suite {suitePath}");
            return 2;
        }

        try
        {
            suite = suite.Only(only);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }

        // The evaluation retrieves from its own store in the results folder, seeded with the dataset's train split, so runs
        // on different machines (and a resumed run) see the same examples; results are never added to it.
        using var workbench = CliWorkbench.Open(new WorkbenchOptions(Store: outDirectory is null ? null : Path.Combine(outDirectory, "examples.db"), Model: model) { Repair = !noRepair },
            error, style);
        return CliWorkbench.Run(error, () => validate
            ? Validate(suite, workbench.Catalog, output, style, c)
            : Evaluate(suite, workbench, outDirectory, configurations, repetitions, output, error, style, c));
    }

    private static int Validate(EvalSuite suite, Kgent.Kernel.KernelInfo.Catalog.ProbeCatalog catalog, TextWriter output, ConsoleStyle style, bool c)
    {
        var bad = 0;
        if (c)
        {
            // The C references (datasets/eval/c) must pass their oracle; the wrong programs are bpftrace's.
            foreach (var evalCase in suite.Cases.Where(e => e.Oracle is not null))
            {
                var verdict = evalCase.ReferenceC is { } program ? OracleJudge.JudgeC(evalCase.Oracle!, program, catalog) : null;
                var passed = verdict is { Passed: true };
                bad += passed ? 0 : 1;
                output.WriteLine($"{(passed ? style.Good("ok  ") : style.Error("FAIL"))} {evalCase.Id}: C reference {Describe(verdict)}");
            }

            output.WriteLine($"{suite.Cases.Count(e => e.Oracle is not null) - bad} of {suite.Cases.Count(e => e.Oracle is not null)} C references pass their oracle");
            return bad == 0 ? 0 : 1;
        }

        foreach (var evalCase in suite.Cases.Where(c => c.Oracle is not null))
        {
            var reference = evalCase.Reference is { } r ? OracleJudge.Judge(evalCase.Oracle!, r, catalog) : null;
            var wrong = evalCase.Wrong is { } w ? OracleJudge.Judge(evalCase.Oracle!, w, catalog) : null;
            var ok = reference is { Passed: true } && wrong is { Passed: false };
            bad += ok ? 0 : 1;
            output.WriteLine($"{(ok ? style.Good("ok  ") : style.Error("FAIL"))} {evalCase.Id}: reference {Describe(reference)}; wrong {Describe(wrong)}");
        }

        output.WriteLine($"{suite.Cases.Count(c => c.Oracle is not null) - bad} of {suite.Cases.Count(c => c.Oracle is not null)} oracles validated");
        return bad == 0 ? 0 : 1;

        static string Describe(OracleVerdict? verdict) => verdict is null ? "missing" : verdict.Passed ? "passes" : "fails (" + string.Join("; ", verdict.Failures) + ")";
    }

    private static int Evaluate(EvalSuite suite, Workbench workbench, string? outDirectory, string? configurationNames, int repetitions,
        TextWriter output, TextWriter error, ConsoleStyle style, bool c)
    {
        _ = workbench.Catalog;
        if (outDirectory is null)
        {
            error.WriteLine("kgent: error: --out DIR is required: the results go there, and a second run with the same DIR resumes");
            return 2;
        }

        if (repetitions is < 1 or > 100)
        {
            error.WriteLine("kgent: error: --reps must be between 1 and 100");
            return 2;
        }

        IReadOnlyList<EvalConfiguration> configurations;
        try
        {
            configurations = EvalConfiguration.Parse(configurationNames);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"kgent: error: --configs: {e.Message}");
            return 2;
        }

        _ = (workbench.Settings, workbench.Contracts);

        try
        {
            Directory.CreateDirectory(outDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"kgent: error: cannot create the results folder {outDirectory}: {e.Message}");
            return 2;
        }

        var runner = workbench.Evaluation(configurations, repetitions, outDirectory, c ? "c" : "bpftrace");
        var name = workbench.ModelName;
        var started = DateTimeOffset.UtcNow;
        EvalSummary summary;
        using var interrupt = new Interrupt();
        try
        {
            summary = style.IsInteractive && !Console.IsErrorRedirected
                ? WithProgressBar(runner, suite, interrupt.Token)
                : runner.RunAsync(suite, new InlineProgress<EvalProgress>(p => error.WriteLine(style.Dim(Line(p)))), interrupt.Token).GetAwaiter().GetResult();
        }
        catch (OracleUnavailableException e)
        {
            error.WriteLine($"kgent: error: {e.Message}; the runs judged so far are in {outDirectory}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"kgent: {interrupt.What}: {EvalResultsFile.Read(outDirectory).Count} finished runs are saved in {outDirectory}; run the same command again to resume");
            return interrupt.ExitCode;
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }
        catch (ModelProviderException e)
        {
            error.WriteLine($"kgent: error: {e.Message} (the runs so far are in {outDirectory}; rerun the same command to resume)");
            return 2;
        }

        var charts = EvalCharts.Write(outDirectory, summary, EvalResultsFile.Read(outDirectory));
        output.WriteLine($"suite {suite.Source}: {summary.Cases} cases × {configurations.Count} configurations × {repetitions} repetition(s), model: {name}");
        output.Write(summary.ToMarkdown());
        output.WriteLine($"wall time {(DateTimeOffset.UtcNow - started).TotalMinutes.ToString("F1", CultureInfo.InvariantCulture)} min (this invocation)");
        output.WriteLine($"results: {Path.Combine(outDirectory, EvalResultsFile.FileName)}, results.csv, summary.json, summary.csv, summary.md; charts: {charts}");
        return 0;
    }

    private static string Line(EvalProgress p) =>
        p.Last is { } run ? $"kgent: [{p.Done}/{p.Total}] {run.Configuration} {run.CaseId}: {Outcome(run.Outcome)} ({run.Attempts} attempt(s), {run.TotalMilliseconds / 1000:F1} s)"
        : $"kgent: {p.Total} runs to do" + (p.Resumed > 0 ? $", {p.Resumed} already in the results file (resuming)" : string.Empty);

    private static string Outcome(EvalOutcome outcome) => outcome switch
    {
        EvalOutcome.Correct => "correct",
        EvalOutcome.FalsePositive => "false positive",
        EvalOutcome.FalseNegative => "false negative",
        EvalOutcome.Returned => "returned a program",
        _ => "gave up",
    };

    private static EvalSummary WithProgressBar(EvalRunner runner, EvalSuite suite, CancellationToken cancellation)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        EvalSummary? summary = null;
        console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("evaluating");
                summary = runner.RunAsync(suite, new InlineProgress<EvalProgress>(p =>
                {
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                    task.Description = p.Last is { } run ? Markup.Escape($"{run.Configuration} {run.CaseId}: {Outcome(run.Outcome)}") : "evaluating";
                }), cancellation).GetAwaiter().GetResult();
            });
        return summary!;
    }
}
