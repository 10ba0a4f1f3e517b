using Kgent.Notebook;
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

    private Task RunCellAsync(KernelCommand command, KernelInvocationContext context, KgentDirectiveLine line, string body, int bodyLine) =>
        new KgentCells(Session).RunCellAsync(line, body, bodyLine, new ContextOutput(command, context), context.CancellationToken);

    /// <summary>A cell's output through .NET Interactive: results through the registered formatters, markdown as markdown,
    /// progress in one display it keeps updating, failures as the cell's error.</summary>
    private sealed class ContextOutput(KernelCommand command, KernelInvocationContext context) : ICellOutput
    {
        private Microsoft.DotNet.Interactive.Formatting.DisplayedValue? status;

        public void Show(object result)
        {
            if (result is string text)
            {
                context.DisplayAs(text, "text/markdown");
            }
            else
            {
                context.Display(result);
            }
        }

        public void Progress(string text)
        {
            if (status is null)
            {
                status = context.DisplayAs(text, "text/plain");
            }
            else
            {
                status.Update(text);
            }
        }

        public void Fail(string message) => context.Fail(command, null, message);
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
            specifier.Parameters.Add(KgentStage.ValuesOf(option).Any() || option == "--hook"
                ? parameter.AddCompletions(() => KgentStage.ValuesOf(option, Session()))
                : parameter);
        }

        return specifier;
    }
}
