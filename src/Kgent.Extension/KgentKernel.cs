using System.Globalization;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;

namespace Kgent.Extension;

/// <summary>The <c>#!kgent</c> subkernel: the cell's first line picks the stage (<c>#!kgent check</c>, <c>#!kgent symbex</c>,
/// …) and its options; the body is the request or the program (empty = the session's current candidate). Each stage
/// displays its result record, which the registered formatters render.</summary>
public sealed class KgentKernel : Microsoft.DotNet.Interactive.Kernel, IKernelCommandHandler<SubmitCode>
{
    public static readonly string[] Stages = ["synth", "prompt", "candidate", "check", "annotate", "intent", "symbex", "verify", "run", "contract", "examples", "config", "eval"];
    private KernelSpecifierDirective? directive;

    public KgentKernel(Func<KgentSession> session) : base("kgent")
    {
        Session = session;

        // A cell holding only its #!kgent line (`#!kgent symbex`: rerun one stage on the session's candidate) never
        // reaches the handler below: the host drops a whitespace-only body and sends the kernel only the directive
        // command, which it handles with a no-op. So a directive command whose cell has no body runs the stage here.
        AddMiddleware(async (command, context, next) =>
        {
            if (command.GetType().Name == "DirectiveCommand" && command.Parent is SubmitCode cell
                && KgentDirectiveLine.Split(cell.Code) is { } split && string.IsNullOrWhiteSpace(split.Body))
            {
                await RunCellAsync(command, context, KgentDirectiveLine.Parse(split.Line), string.Empty).ConfigureAwait(false);
            }

            await next(command, context).ConfigureAwait(false);
        });
    }

    public Func<KgentSession> Session { get; }

    public override KernelSpecifierDirective KernelSpecifierDirective => directive ??= Build();

    Task IKernelCommandHandler<SubmitCode>.HandleAsync(SubmitCode command, KernelInvocationContext context)
    {
        // The whole cell (the parent command) gives the directive line as written; the host's binding of it drops a
        // stage argument (`#!kgent contract tcp_connect` arrives without --stage), so the line is read the same way for
        // cells with and without a body. The host's parameters are the fallback for a submission with no parent.
        var line = command.Parent is SubmitCode cell && KgentDirectiveLine.Split(cell.Code) is { } split
            ? KgentDirectiveLine.Parse(split.Line)
            : KgentDirectiveLine.FromHost(command.Parameters.TryGetValue("--stage", out var stage) ? stage : null, command.Parameters);
        return RunCellAsync(command, context, line, command.Code);
    }

    private async Task RunCellAsync(KernelCommand command, KernelInvocationContext context, KgentDirectiveLine line, string body)
    {
        try
        {
            // A long stage shows its progress in one output that it keeps updating.
            Microsoft.DotNet.Interactive.Formatting.DisplayedValue? status = null;
            var progress = line.Stage == "eval"
                ? new Kgent.Kernel.Agent.InlineProgress<Kgent.Kernel.Evaluation.EvalProgress>(p =>
                {
                    var text = p.Last is { } run
                        ? $"evaluating: {p.Done}/{p.Total} runs ({run.Configuration} {run.CaseId}: {run.Outcome})"
                        : $"evaluating: {p.Total} runs" + (p.Resumed > 0 ? $", {p.Resumed} resumed from the results file" : string.Empty);
                    if (status is null)
                    {
                        status = context.DisplayAs(text, "text/plain");
                    }
                    else
                    {
                        status.Update(text);
                    }
                })
                : null;
            var result = await RunStageAsync(line, body, progress, context.CancellationToken).ConfigureAwait(false);
            if (result is string text)
            {
                context.DisplayAs(text, "text/markdown");
            }
            else if (result is not null)
            {
                context.Display(result);
            }
        }
        catch (Exception e) when (e is KgentCellException or Kgent.Kernel.Agent.SynthesisRequestException or Kgent.Kernel.Agent.Providers.ModelProviderException)
        {
            context.Fail(command, null, e.Message);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The notebook's interrupt: an evaluation keeps its finished runs (rerun the cell with the same --out to resume).
            context.Fail(command, null, line.Stage == "eval" ? "interrupted; the finished runs are kept in the results folder (with --out FOLDER, running the cell again resumes)" : "interrupted");
        }
    }

    /// <summary>Runs one stage; public so scripts and tests can drive the same dispatch without a notebook host.</summary>
    public Task<object?> RunStageAsync(string directiveLine, string body) => RunStageAsync(KgentDirectiveLine.Parse(directiveLine), body);

    public async Task<object?> RunStageAsync(KgentDirectiveLine line, string body, IProgress<Kgent.Kernel.Evaluation.EvalProgress>? evalProgress = null,
        CancellationToken cancellation = default)
    {
        var session = Session();
        return line.Stage switch
        {
            "synth" => await session.SynthAsync(Required(body, "the request"), Number(line, "--tries", 3, 1, 10), cancellation).ConfigureAwait(false),
            "prompt" => await session.PromptAsync(Required(body, "the request"), cancellation).ConfigureAwait(false),
            "candidate" => await session.CandidateAsync(Required(body, "the request"), cancellation).ConfigureAwait(false) is { } candidate
                ? new CandidateProgram(candidate) : $"no candidate: the {session.Workbench.ModelName} gave no program for this request",
            "check" => session.Check(body),
            "annotate" => await session.AnnotateAsync(body, cancellation).ConfigureAwait(false),
            "intent" when line.Get("--clear") is not null => Cleared(session),
            "intent" => await session.IntentAsync(body, cancellation).ConfigureAwait(false),
            "symbex" => session.Symbex(body),
            "verify" => session.Verify(body, cancellation),
            "run" => session.Run(body, Duration(line.Get("--duration") ?? "5s"), line.Get("--workload"), cancellation),
            "contract" => session.Contract(line.Get("--hook") ?? throw new KgentCellException("name the hook: #!kgent contract tcp_connect"), body),
            "examples" => session.Store is { } store
                ? new ExampleSearch(Required(body, "a query"), store.Search(body.Trim(), Number(line, "--k", 5, 1, 50)))
                : "no example store in this session",
            "eval" => await session.EvalAsync(string.IsNullOrWhiteSpace(body) ? null : body.Trim(), line.Get("--configs"), line.Get("--only"),
                Number(line, "--reps", 1, 1, 100), line.Get("--out"), evalProgress, cancellation).ConfigureAwait(false),
            "config" => $"model: {session.Workbench.ModelName}",
            _ => throw new KgentCellException($"unknown stage '{line.Stage}'{DidYouMean(line.Stage)}; the stages are {string.Join(", ", Stages)}"),
        };
    }

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

    private KernelSpecifierDirective Build()
    {
        var specifier = new KernelSpecifierDirective("#!kgent", Name) { Description = "Kgent: run one pipeline stage on the cell's request or program" };
        specifier.Parameters.Add(new KernelDirectiveParameter("--stage", "The stage: " + string.Join(", ", Stages)) { AllowImplicitName = true }.AddCompletions(() => Stages));
        specifier.Parameters.Add(new KernelDirectiveParameter("--duration", "run: how long to trace (5s, 500ms)").AddCompletions(() => ["1s", "3s", "5s", "10s"]));
        specifier.Parameters.Add(new KernelDirectiveParameter("--workload", "run: a shell command to run while tracing"));
        specifier.Parameters.Add(new KernelDirectiveParameter("--hook", "contract: the hook, e.g. tcp_connect or sock:inet_sock_set_state")
            .AddCompletions(() => Session().Contracts.Contracts.Select(c => c.Name)));
        specifier.Parameters.Add(new KernelDirectiveParameter("--clear", "intent: forget the session's specification") { Flag = true });
        specifier.Parameters.Add(new KernelDirectiveParameter("--tries", "synth: attempts before giving up").AddCompletions(() => ["1", "2", "3", "5"]));
        specifier.Parameters.Add(new KernelDirectiveParameter("--k", "examples: how many to show"));
        specifier.Parameters.Add(new KernelDirectiveParameter("--configs", "eval: configurations, comma-separated")
            .AddCompletions(() => ["few-shot,kgent", "few-shot,feedback,symbex,hints,kgent", .. Kgent.Kernel.Evaluation.EvalConfiguration.All.Select(c => c.Name)]));
        specifier.Parameters.Add(new KernelDirectiveParameter("--only", "eval: case ids or categories, comma-separated")
            .AddCompletions(() => ["files", "processes", "scheduling", "memory", "block", "networking", "syscalls"]));
        specifier.Parameters.Add(new KernelDirectiveParameter("--reps", "eval: repetitions per case"));
        specifier.Parameters.Add(new KernelDirectiveParameter("--out", "eval: results folder (a rerun with the same folder resumes)"));
        return specifier;
    }
}
