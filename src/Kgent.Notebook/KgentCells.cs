using System.Globalization;
using Kgent.Kernel.Bpftrace.Diagnostics;

namespace Kgent.Notebook;

/// <summary>What a <c>#!kgent</c> cell does, without a notebook host: the line is checked against the stage table, the
/// stage runs on the session, and a result that used a program names it. The .NET Interactive kernel and scripts drive
/// the same dispatch.</summary>
public sealed class KgentCells(Func<KgentSession> sessions)
{
    private static IReadOnlyList<string> Stages => KgentStage.Names;

    /// <summary>Runs a whole cell as a notebook host does: the stage's result goes to <paramref name="output"/>, an
    /// evaluation's progress too, and a mistake, a model failure or an interrupt is a cell failure with its message.
    /// Returns whether the cell succeeded.</summary>
    public async Task<bool> RunCellAsync(KgentDirectiveLine line, string body, int bodyLine, ICellOutput output, CancellationToken cancellation)
    {
        try
        {
            var progress = line.Stage == "eval"
                ? new Kgent.Kernel.Agent.InlineProgress<Kgent.Kernel.Evaluation.EvalProgress>(p => output.Progress(p.Last is { } run
                    ? $"evaluating: {p.Done}/{p.Total} runs ({run.Configuration} {run.CaseId}: {run.Outcome})"
                    : $"evaluating: {p.Total} runs" + (p.Resumed > 0 ? $", {p.Resumed} resumed from the results file" : string.Empty)))
                : null;
            if (await RunStageAsync(line, body, progress, cancellation, bodyLine).ConfigureAwait(false) is { } result)
            {
                output.Show(result);
            }

            return true;
        }
        catch (Exception e) when (e is KgentCellException or Kgent.Kernel.Agent.SynthesisRequestException or Kgent.Kernel.Agent.Providers.ModelProviderException
            or Kgent.Kernel.Composition.WorkbenchException)
        {
            output.Fail(e.Message);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // An evaluation keeps its finished runs (rerun the cell with the same --out to resume).
            output.Fail(line.Stage == "eval" ? "interrupted; the finished runs are kept in the results folder (with --out FOLDER, running the cell again resumes)" : "interrupted");
        }

        return false;
    }

    /// <summary>Runs one stage on the cell's line and body.</summary>
    public Task<object?> RunStageAsync(string directiveLine, string body) => RunStageAsync(KgentDirectiveLine.Parse(directiveLine), body);

    /// <remarks>A stage that uses a program returns a <see cref="ProgramResult"/>: its result and the program it used.
    /// <paramref name="bodyLine"/> is the cell line the body starts on (after the <c>#!kgent</c> line).</remarks>
    public async Task<object?> RunStageAsync(KgentDirectiveLine line, string body, IProgress<Kgent.Kernel.Evaluation.EvalProgress>? evalProgress = null,
        CancellationToken cancellation = default, int bodyLine = 2)
    {
        var stage = Validate(line);
        var session = sessions();
        var result = await RunAsync(session, line, body, evalProgress, cancellation, bodyLine).ConfigureAwait(false);
        // A stage that writes a program (synth, candidate) names it when it gave one; a stage that uses one always does.
        var produced = result switch
        {
            Kgent.Kernel.Agent.SynthesisResult.Succeeded s => s.Program,
            Kgent.Kernel.Agent.SynthesisResult r => r.Attempts[^1].Candidate,
            CandidateProgram c => c.Text,
            _ => null,
        };
        return session.Program is { } program && (stage.UsesProgram || (produced is not null && produced == program.Text))
            ? new ProgramResult(program, stage.UsesProgram && !string.IsNullOrWhiteSpace(body), result!)
            : result;
    }

    /// <summary>The stage the line names, with options it takes: a bare <c>#!kgent</c>, an unknown stage and an option
    /// of another stage (or of none) are errors that list what the stage takes.</summary>
    public static KgentStage Validate(KgentDirectiveLine line)
    {
        if (line.Stage.Length == 0)
        {
            throw new KgentCellException($"name a stage after #!kgent, e.g. `#!kgent check`; the stages are {string.Join(", ", Stages)}");
        }

        var stage = KgentStage.Find(line.Stage)
            ?? throw new KgentCellException($"unknown stage '{line.Stage}'{DidYouMean(line.Stage)}; the stages are {string.Join(", ", Stages)}");
        foreach (var option in line.Options.Keys.Order(StringComparer.Ordinal))
        {
            if (!stage.Options.Contains(option))
            {
                var owners = KgentStage.All.Where(s => s.Options.Contains(option)).Select(s => s.Name).ToArray();
                var whose = owners.Length > 0 ? $" (it belongs to {string.Join(", ", owners)})" : string.Empty;
                var suggestion = Suggestions.Closest(option, stage.Options) is { } closest ? $"; did you mean '{closest}'?" : string.Empty;
                throw new KgentCellException($"#!kgent {stage.Name} has no option '{option}'{whose}{suggestion}; its options: {stage.OptionList}");
            }
        }

        return stage;
    }

    private static async Task<object?> RunAsync(KgentSession session, KgentDirectiveLine line, string body, IProgress<Kgent.Kernel.Evaluation.EvalProgress>? evalProgress,
        CancellationToken cancellation, int bodyLine)
    {
        return line.Stage switch
        {
            "synth" => await session.SynthAsync(Required(body, "the request"), Number(line, "--tries", 3, 1, 10), cancellation, Language(line)).ConfigureAwait(false),
            "prompt" => await session.PromptAsync(Required(body, "the request"), cancellation).ConfigureAwait(false),
            "candidate" => await session.CandidateAsync(Required(body, "the request"), cancellation).ConfigureAwait(false) is { } candidate
                ? new CandidateProgram(candidate) : $"no candidate: the {session.Workbench.ModelName} gave no program for this request",
            "check" => session.CheckAny(body),
            "annotate" => await session.AnnotateAsync(body, cancellation).ConfigureAwait(false),
            "intent" when line.Get("--clear") is not null => Cleared(session),
            "intent" => await session.IntentAsync(body, cancellation).ConfigureAwait(false),
            "symbex" => session.Symbex(body),
            "verify" => session.Verify(body, cancellation),
            "run" => session.Run(body, Duration(line.Get("--duration") ?? "5s"), line.Get("--workload"), cancellation),
            "contract" => session.Contract(line.Get("--hook") ?? throw new KgentCellException("name the hook: #!kgent contract tcp_connect"), body, bodyLine),
            "examples" => session.Store is { } store
                ? new ExampleSearch(Required(body, "a query"), store.Search(body.Trim(), Number(line, "--k", 5, 1, 50)))
                : "no example store in this session",
            "eval" => await session.EvalAsync(string.IsNullOrWhiteSpace(body) ? null : body.Trim(), line.Get("--configs"), line.Get("--only"),
                Number(line, "--reps", 1, 1, 100), line.Get("--out"), evalProgress, cancellation, line.Get("--model")).ConfigureAwait(false),
            "config" => $"model: {session.Workbench.ModelName}",
            _ => throw new KgentCellException($"unknown stage '{line.Stage}'{DidYouMean(line.Stage)}; the stages are {string.Join(", ", Stages)}"),
        };
    }

    /// <summary><c>--lang c</c> writes libbpf C; <c>--lang bpftrace</c> (the default) bpftrace.</summary>
    private static bool Language(KgentDirectiveLine line) => line.Get("--lang") switch
    {
        null or "bpftrace" => false,
        "c" => true,
        var other => throw new KgentCellException($"--lang {other}: the languages are bpftrace and c"),
    };

    private static string Cleared(KgentSession session)
    {
        session.ForgetSpec();
        return "the session's intent specification is cleared: `#!kgent symbex` proves only the program's own assertions until the next `#!kgent intent` or `#!kgent synth`";
    }

    private static string DidYouMean(string stage) =>
        Suggestions.Closest(stage, Stages) is { } closest ? $" (did you mean '{closest}'?)" : string.Empty;

    private static int Number(KgentDirectiveLine line, string option, int fallback, int min, int max)
    {
        var text = line.Get(option);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value : throw new KgentCellException($"{option} {text}: expected a whole number from {min} to {max}");
    }

    private static string Required(string body, string what) =>
        string.IsNullOrWhiteSpace(body) ? throw new KgentCellException($"write {what} in the cell body") : body.Trim();

    private static TimeSpan Duration(string text)
    {
        var milliseconds = text.EndsWith("ms", StringComparison.Ordinal);
        var number = milliseconds ? text[..^2] : text.TrimEnd('s');
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new KgentCellException($"--duration {text}: write seconds or milliseconds, e.g. 5s or 500ms");
        }

        var seconds = milliseconds ? value / 1000 : value;
        return seconds is >= 0.001 and <= 600 ? TimeSpan.FromSeconds(seconds) : throw new KgentCellException($"--duration {text} must be between 1ms and 600s");
    }
}
