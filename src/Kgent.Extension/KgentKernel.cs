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
    public static IReadOnlyList<string> Stages => KgentStage.Names;
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
                await RunCellAsync(command, context, KgentDirectiveLine.Parse(split.Line), string.Empty, split.BodyLine).ConfigureAwait(false);
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
        // The body is read from the cell too, so its line numbers are the cell's own (a contract's errors name them).
        if (command.Parent is SubmitCode cell && KgentDirectiveLine.Split(cell.Code) is { } split)
        {
            return RunCellAsync(command, context, KgentDirectiveLine.Parse(split.Line), split.Body, split.BodyLine);
        }

        var line = KgentDirectiveLine.FromHost(command.Parameters.TryGetValue("--stage", out var stage) ? stage : null, command.Parameters);
        return RunCellAsync(command, context, line, command.Code, 2);
    }

    private async Task RunCellAsync(KernelCommand command, KernelInvocationContext context, KgentDirectiveLine line, string body, int bodyLine)
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
            var result = await RunStageAsync(line, body, progress, context.CancellationToken, bodyLine).ConfigureAwait(false);
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

    /// <summary>Runs one stage (see <see cref="KgentCells"/>, which holds the dispatch without a notebook host).</summary>
    public Task<object?> RunStageAsync(KgentDirectiveLine line, string body, IProgress<Kgent.Kernel.Evaluation.EvalProgress>? evalProgress = null,
        CancellationToken cancellation = default, int bodyLine = 2) =>
        new KgentCells(Session).RunStageAsync(line, body, evalProgress, cancellation, bodyLine);

    private KernelSpecifierDirective Build()
    {
        var specifier = new KernelSpecifierDirective("#!kgent", Name) { Description = "Kgent: run one pipeline stage on the cell's request or program" };
        specifier.Parameters.Add(new KernelDirectiveParameter("--stage", "The stage: " + string.Join(", ", Stages)) { AllowImplicitName = true }.AddCompletions(() => Stages));
        foreach (var (option, help) in KgentStage.OptionHelp)
        {
            var parameter = new KernelDirectiveParameter(option, help) { Flag = option == "--clear" };
            specifier.Parameters.Add(option switch
            {
                "--duration" => parameter.AddCompletions(() => ["1s", "3s", "5s", "10s"]),
                "--hook" => parameter.AddCompletions(() => Session().Contracts.Contracts.Select(c => c.Name)),
                "--tries" => parameter.AddCompletions(() => ["1", "2", "3", "5"]),
                "--configs" => parameter.AddCompletions(() => ["few-shot,kgent", "few-shot,feedback,symbex,hints,kgent", .. Kgent.Kernel.Evaluation.EvalConfiguration.All.Select(c => c.Name)]),
                "--only" => parameter.AddCompletions(() => ["files", "processes", "scheduling", "memory", "block", "networking", "syscalls"]),
                _ => parameter,
            });
        }

        return specifier;
    }
}
