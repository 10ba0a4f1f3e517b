using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text;
using Kgent.Kernel.Agent;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Evaluation;

/// <summary>Runs every case of a suite under every configuration, <see cref="EvalOptions.Repetitions"/> times, with one
/// model; classifies each run with the case's oracle; appends each run to results.jsonl as it finishes. Runs already in
/// that file are not repeated, so an interrupted evaluation resumes where it stopped and ends with the same table.</summary>
public sealed class EvalRunner(IChatClient model, EvalOptions options)
{
    public const string ManifestName = "evaluation.json";

    private readonly Dictionary<(string Case, string Program), OracleVerdict> verdicts = [];

    public async Task<EvalSummary> RunAsync(EvalSuite suite, IProgress<EvalProgress>? progress = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(options.OutDirectory);
        CheckManifest(suite);
        var done = EvalResultsFile.Read(options.OutDirectory).ToDictionary(r => r.Key);
        var plan = (from configuration in options.Configurations
                    from evalCase in suite.Cases
                    from repetition in Enumerable.Range(1, options.Repetitions)
                    select (configuration, evalCase, repetition)).ToList();
        foreach (var (configuration, evalCase, repetition) in plan)
        {
            // A finished run counts only for the same question: a case edited since, or other hints, would mix runs.
            if (done.TryGetValue(EvalRun.RunKey(configuration.Name, evalCase.Id, repetition), out var old)
                && old.Request is { } asked && asked != configuration.RequestFor(evalCase))
            {
                throw new InvalidOperationException(
                    $"{options.OutDirectory} holds a run of {evalCase.Id} ({configuration.Name}) for another request (\"{asked}\"); choose another --out or delete it");
            }
        }

        var resumed = plan.Count(p => done.ContainsKey(EvalRun.RunKey(p.configuration.Name, p.evalCase.Id, p.repetition)));
        var finished = resumed;
        progress?.Report(new EvalProgress(finished, plan.Count, resumed, null));
        foreach (var (configuration, evalCase, repetition) in plan)
        {
            cancellation.ThrowIfCancellationRequested();
            var key = EvalRun.RunKey(configuration.Name, evalCase.Id, repetition);
            if (done.ContainsKey(key))
            {
                continue;
            }

            var run = await RunOneAsync(configuration, evalCase, repetition, cancellation).ConfigureAwait(false);
            EvalResultsFile.Append(options.OutDirectory, run);
            done[key] = run;
            progress?.Report(new EvalProgress(++finished, plan.Count, resumed, run));
        }

        var runs = plan.Select(p => done[EvalRun.RunKey(p.configuration.Name, p.evalCase.Id, p.repetition)]).ToList();
        var summary = EvalSummary.Of(suite, options.ModelName, options.Repetitions, options.Configurations.Select(c => c.Name), runs);
        WriteReports(summary, runs);
        return summary;
    }

    public async Task<EvalRun> RunOneAsync(EvalConfiguration configuration, EvalCase evalCase, int repetition, CancellationToken cancellation = default)
    {
        var synthesis = new SynthesisOptions(
            configuration.Tries,
            Catalog: configuration.Check ? options.Catalog : null,
            Contracts: options.Contracts,
            Store: options.Store,
            Annotate: configuration.Annotate,
            VerifyInKernel: configuration.VerifyInKernel,
            KernelLoad: options.KernelLoad,
            ModelName: options.ModelName,
            Learn: false)
        {
            Repair = options.Repair,
        };
        var watch = Stopwatch.StartNew();
        var request = configuration.RequestFor(evalCase);
        ISynthesisLoop loop = options.IsC ? new Libbpf.Agent.CSynthesisLoop(model, synthesis) : new SynthesisLoop(model, synthesis);
        var result = await loop.RunAsync(request, cancellation: cancellation).ConfigureAwait(false);
        watch.Stop();

        var rejections = result.Attempts.Select(a => a.FailedStage).OfType<string>().ToImmutableArray();
        var stages = result.Attempts.SelectMany(a => a.Timings).GroupBy(t => t.Stage)
            .ToImmutableDictionary(g => g.Key, g => Math.Round(g.Sum(t => t.Elapsed.TotalMilliseconds), 1));
        var program = result is SynthesisResult.Succeeded s ? s.Program : null;
        EvalOutcome outcome;
        var failures = ImmutableArray<string>.Empty;
        if (program is null)
        {
            outcome = evalCase.Oracle is null ? EvalOutcome.GaveUp : EvalOutcome.FalseNegative;
        }
        else if (evalCase.Oracle is not { } oracle)
        {
            outcome = EvalOutcome.Returned;
        }
        else
        {
            var verdict = Judge(evalCase, oracle, program, cancellation);
            outcome = verdict.Passed ? EvalOutcome.Correct : EvalOutcome.FalsePositive;
            failures = verdict.Failures;
        }

        return new EvalRun(configuration.Name, evalCase.Id, repetition, outcome,
            program is null ? rejections.LastOrDefault() ?? "no candidate" : "returned",
            result.Attempts.Length, rejections, failures, program, stages, Math.Round(watch.Elapsed.TotalMilliseconds, 1), options.ModelName, request,
            (result as SynthesisResult.Succeeded)?.Verdict)
        {
            // Each attempt whose candidate a repair let go on is a model call the loop did not make.
            Repairs = result.Attempts.Count(a => !a.Repairs.IsEmpty),
            Reason = program is null && result.Attempts.LastOrDefault()?.Feedback.FirstOrDefault() is { } last ? OneLine(last.Message) : null,
        };
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 300 ? line : line[..297] + "...";
    }

    /// <summary>The oracle, once per distinct program of a case: the same program gets the same verdict in every
    /// configuration (the oracle runs it on the real kernel, which takes seconds).</summary>
    private OracleVerdict Judge(EvalCase evalCase, Oracle oracle, string program, CancellationToken cancellation)
    {
        var key = (evalCase.Id, program);
        if (!verdicts.TryGetValue(key, out var verdict))
        {
            verdict = (options.Judge ?? (options.IsC
                ? (o, p) => OracleJudge.JudgeC(o, p, options.Catalog, cancellation)
                : (o, p) => OracleJudge.Judge(o, p, options.Catalog, cancellation: cancellation)))(oracle, program);
            // An interrupted oracle run judged nothing: it is neither kept nor recorded.
            cancellation.ThrowIfCancellationRequested();
            verdicts[key] = verdict;
        }

        return verdict;
    }

    /// <summary>evaluation.json records what the results file belongs to; resuming with another suite or model would mix
    /// incomparable runs, so it is refused.</summary>
    private void CheckManifest(EvalSuite suite)
    {
        var path = Path.Combine(options.OutDirectory, ManifestName);
        var manifest = new Dictionary<string, string>
        {
            ["suite"] = Path.GetFullPath(suite.Source),
            ["model"] = options.ModelName,
        };
        if (options.IsC)
        {
            // Results of one language never resume or mix with the other's (an older manifest without it is bpftrace).
            manifest["language"] = options.Language;
        }
        if (File.Exists(path))
        {
            var existing = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [];
            if ((existing.GetValueOrDefault("language") ?? "bpftrace") is var language && language != options.Language)
            {
                throw new InvalidOperationException(
                    $"{options.OutDirectory} holds results of another evaluation (language {language}, not {options.Language}); choose another --out or delete it");
            }

            foreach (var (name, value) in manifest)
            {
                if (existing.TryGetValue(name, out var old) && old != value)
                {
                    throw new InvalidOperationException(
                        $"{options.OutDirectory} holds results of another evaluation ({name} {old}, not {value}); choose another --out or delete it");
                }
            }
        }

        Platform.SafeFile.WriteAllText(path, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
    }

    private void WriteReports(EvalSummary summary, IReadOnlyList<EvalRun> runs)
    {
        Platform.SafeFile.WriteAllText(Path.Combine(options.OutDirectory, "summary.json"),
            JsonSerializer.Serialize(summary, new JsonSerializerOptions(EvalResultsFile.Json) { WriteIndented = true }));
        Platform.SafeFile.WriteAllText(Path.Combine(options.OutDirectory, "summary.md"), summary.ToMarkdown());

        var table = new StringBuilder("configuration,runs,correct,false_positive,false_negative,returned,gave_up,accuracy,fp_rate,fn_rate,mean_attempts,median_seconds\n");
        foreach (var row in summary.Rows)
        {
            table.AppendLine(string.Join(',', row.Configuration, row.Runs, row.Correct, row.FalsePositives, row.FalseNegatives, row.Returned, row.GaveUp,
                F(row.Accuracy), F(row.FalsePositiveRate), F(row.FalseNegativeRate), F(row.MeanAttempts), F(row.MedianSeconds)));
        }

        Platform.SafeFile.WriteAllText(Path.Combine(options.OutDirectory, "summary.csv"), table.ToString());

        var results = new StringBuilder("configuration,case,repetition,outcome,stopped_at,verdict,attempts,rejections,oracle_failures,total_ms\n");
        foreach (var run in runs)
        {
            results.AppendLine(string.Join(',', run.Configuration, Csv(run.CaseId), run.Repetition, run.Outcome.ToString(), Csv(run.StoppedAt), Csv(run.Verdict ?? string.Empty), run.Attempts,
                Csv(string.Join("; ", run.Rejections)), Csv(string.Join("; ", run.OracleFailures)), F(run.TotalMilliseconds)));
        }

        Platform.SafeFile.WriteAllText(Path.Combine(options.OutDirectory, "results.csv"), results.ToString());
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Csv(string value) => value.Contains(',') || value.Contains('"') || value.Contains('\n') ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
