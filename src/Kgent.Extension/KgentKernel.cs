using System.Globalization;
using Kgent.Kernel.Examples;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;

namespace Kgent.Extension;

/// <summary>The <c>#!kgent</c> subkernel: the cell's first line picks the stage (<c>#!kgent check</c>, <c>#!kgent symbex</c>,
/// …) and its options; the body is the request or the program (empty = the session's current candidate). Each stage
/// displays its result record, which the registered formatters render.</summary>
public sealed class KgentKernel : Microsoft.DotNet.Interactive.Kernel, IKernelCommandHandler<SubmitCode>
{
    public static readonly string[] Stages = ["synth", "prompt", "candidate", "check", "annotate", "symbex", "verify", "run", "contract", "examples", "config"];
    private KernelSpecifierDirective? directive;

    public KgentKernel(Func<KgentSession> session) : base("kgent")
    {
        Session = session;
    }

    public Func<KgentSession> Session { get; }

    public override KernelSpecifierDirective KernelSpecifierDirective => directive ??= Build();

    async Task IKernelCommandHandler<SubmitCode>.HandleAsync(SubmitCode command, KernelInvocationContext context)
    {
        var parameters = command.Parameters;
        var stage = parameters.TryGetValue("--stage", out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim('"') : "check";
        var body = command.Code;
        try
        {
            var result = await RunStageAsync(stage, body, parameters).ConfigureAwait(false);
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
    }

    /// <summary>Runs one stage; public so scripts and tests can drive the same dispatch without a notebook host.</summary>
    public async Task<object?> RunStageAsync(string stage, string body, IDictionary<string, string> parameters)
    {
        var session = Session();
        string? Get(string name) => parameters.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim('"') : null;
        return stage switch
        {
            "synth" => await session.SynthAsync(Required(body, "the request"), int.Parse(Get("--tries") ?? "3", CultureInfo.InvariantCulture)).ConfigureAwait(false),
            "prompt" => session.Prompt(Required(body, "the request")),
            "candidate" => await session.CandidateAsync(Required(body, "the request")).ConfigureAwait(false) is { } candidate
                ? new AnnotatedProgram(candidate) : "no candidate: the offline model found no example or hook for this request",
            "check" => session.Check(body),
            "annotate" => session.Annotate(body),
            "symbex" => session.Symbex(body),
            "verify" => session.Verify(body),
            "run" => session.Run(body, Duration(Get("--duration") ?? "5s"), Get("--workload")),
            "contract" => session.Contract(Get("--hook") ?? throw new KgentCellException("name the hook: #!kgent contract --hook tcp_connect"), body),
            "examples" => session.Store?.Search(Required(body, "a query"), int.Parse(Get("--k") ?? "5", CultureInfo.InvariantCulture)) ?? (object)"no example store in this session",
            "config" => $"model: {Kgent.Kernel.Agent.Providers.ModelProvider.Describe(Kgent.Kernel.Agent.Providers.ModelSettings.Load().Settings)}",
            _ => throw new KgentCellException($"unknown stage '{stage}'; the stages are {string.Join(", ", Stages)}"),
        };
    }

    private static string Required(string body, string what) =>
        string.IsNullOrWhiteSpace(body) ? throw new KgentCellException($"write {what} in the cell body") : body.Trim();

    private static TimeSpan Duration(string text)
    {
        var seconds = text.EndsWith("ms", StringComparison.Ordinal) ? double.Parse(text[..^2], CultureInfo.InvariantCulture) / 1000
            : double.Parse(text.TrimEnd('s'), CultureInfo.InvariantCulture);
        return seconds is > 0 and <= 600 ? TimeSpan.FromSeconds(seconds) : throw new KgentCellException($"--duration {text} must be between 1ms and 600s");
    }

    private KernelSpecifierDirective Build()
    {
        var specifier = new KernelSpecifierDirective("#!kgent", Name) { Description = "Kgent: run one pipeline stage on the cell's request or program" };
        specifier.Parameters.Add(new KernelDirectiveParameter("--stage", "The stage: " + string.Join(", ", Stages)) { AllowImplicitName = true }.AddCompletions(() => Stages));
        specifier.Parameters.Add(new KernelDirectiveParameter("--duration", "run: how long to trace (5s, 500ms)").AddCompletions(() => ["1s", "3s", "5s", "10s"]));
        specifier.Parameters.Add(new KernelDirectiveParameter("--workload", "run: a shell command to run while tracing"));
        specifier.Parameters.Add(new KernelDirectiveParameter("--hook", "contract: the hook, e.g. tcp_connect or sock:inet_sock_set_state")
            .AddCompletions(() => Session().Contracts.Contracts.Select(c => c.Name)));
        specifier.Parameters.Add(new KernelDirectiveParameter("--tries", "synth: attempts before giving up").AddCompletions(() => ["1", "2", "3", "5"]));
        specifier.Parameters.Add(new KernelDirectiveParameter("--k", "examples: how many to show"));
        return specifier;
    }
}
