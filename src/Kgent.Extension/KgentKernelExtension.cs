using Kgent.Extension.Html;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive;

namespace Kgent.Extension;

/// <summary>Loaded by .NET Interactive from the package's <c>interactive-extensions/dotnet</c> folder: registers the
/// formatters, adds the <c>#!kgent</c> kernel, and defines <c>kgent</c> (the session) in the C# kernel.</summary>
public sealed class KgentKernelExtension : IKernelExtension
{
    public async Task OnLoadAsync(Microsoft.DotNet.Interactive.Kernel kernel)
    {
        RegisterFormatters();
        if (kernel is CompositeKernel composite && composite.ChildKernels.All(k => k.Name != "kgent"))
        {
            composite.Add(new KgentKernel(() => KgentNotebook.Session));
            if (composite.ChildKernels.FirstOrDefault(k => k.Name == "csharp") is { } csharp)
            {
                await csharp.SendAsync(new SubmitCode("var kgent = Kgent.Extension.KgentNotebook.Session;")).ConfigureAwait(false);
            }
        }

        KernelInvocationContext.Current?.DisplayAs(KgentNotebook.Describe(), "text/markdown");
    }

    /// <summary>HTML and plain-text formatters for every stage's result record.</summary>
    public static void RegisterFormatters()
    {
        Register<CheckResult>(StageHtml.Check, r => $"check: {r.Errors.Count()} errors, {r.Warnings.Count()} warnings");
        Register<CandidateProgram>(c => StageHtml.Candidate(c.Text), c => c.Text);
        Register<AnnotatedProgram>(StageHtml.Annotated, a => a.Text);
        Register<SymbolicResult>(StageHtml.Symbolic, r => $"symbolic verifier: {r.Overall.Display()} ({r.Assertions.Length} assertions)");
        Register<IntentSpec>(StageHtml.Intent, s => $"intent specification ({s.Producer}): " + string.Join("; ", IntentSpecItems.Of(s).Select(i => $"{i.Label} {i.Text}")));
        Register<IntentReport>(StageHtml.IntentCheck, r => $"intent check: {r.VerdictText} ({r.Results.Length} obligations)");
        Register<LoadVerdict.Accepted>(StageHtml.Load, a => $"kernel verifier: accepted ({a.Probes.Length} attach points)");
        Register<LoadVerdict.Rejected>(StageHtml.Load, r => $"kernel verifier: rejected at {LoadDiagnostics.Stage(r.Stage)}: {r.Message}");
        Register<RunResult>(StageHtml.Run, r => $"run: {r.Printf.Length} printf events, {r.Maps.Length} maps, stopped by {r.StoppedBy}");
        Register<Prompt>(StageHtml.Prompt, p => p.UserMessage);
        Register<EvalReport>(StageHtml.Eval, r => r.Summary.ToMarkdown());
        Register<ExampleSearch>(StageHtml.Examples, s => string.Join("\n", s.Matches.Select(m => $"{m.Score:F2}  {m.Example.Request}")));
        Register<SynthesisResult.Succeeded>(StageHtml.Synthesis, s => (s.IsVerified ? "verified:\n" : $"not verified ({s.Verdict}):\n") + s.Program);
        Register<SynthesisResult.GaveUp>(StageHtml.Synthesis, g => $"gave up after {g.Attempts.Length} attempts");
        Register<ProgramResult>(
            r => $"<div class='kg-program-name' style='color:#57606a;font:12px sans-serif;margin-bottom:2px'>{HtmlText.E(r.Caption)}</div>" + r.Result.ToDisplayString(HtmlFormatter.MimeType),
            r => r.Caption + Environment.NewLine + r.Result.ToDisplayString(PlainTextFormatter.MimeType));
        Register<HookContract>(c => $"<div class='kg kgent-contract'><b>{HtmlText.E(c.Title)}</b>: {HtmlText.E(c.Summary)}<ul>" +
            string.Concat(c.Pre.Select(p => $"<li>pre: <code>{HtmlText.E(p.Text)}</code></li>")) +
            string.Concat(c.Post.Select(p => $"<li>post: <code>{HtmlText.E(p.Text)}</code></li>")) +
            string.Concat(c.Notes.Select(n => $"<li>note: <code>{HtmlText.E(n.Subject)}</code>: {HtmlText.E(n.Text)}</li>")) + "</ul></div>", c => c.Title);
    }

    private static void Register<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, writer) => writer.Write(text(value)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }
}

/// <summary>The notebook's session, created on first use: the running kernel's catalog, the project's contracts and the
/// default example store (seeded with the dataset's train split when empty).</summary>
public static class KgentNotebook
{
    private static readonly Lazy<KgentSession> Lazy = new(Create);

    public static KgentSession Session => Lazy.Value;

    /// <summary>What was loaded: the stages, this host's probe support, the contracts and the example store.</summary>
    public static string Describe()
    {
        var session = Session;
        var host = session.Catalog.Host;
        var probes = string.Join(", ", host.ProbeTypes.Select(p => $"{p.Type.ToString().ToLowerInvariant()} {(p.Supported ? "yes" : "no")}"));
        return $"Kgent loaded: `#!kgent {string.Join("|", KgentKernel.Stages)}`; the session is `kgent` (`kgent.Last.Candidate`, …).  \n" +
            $"Kernel {host.KernelRelease}: {probes}.  \n" +
            $"Contracts: {session.Contracts.Contracts.Length} hooks{(ContractsPath is null ? " (none found: set KGENT_CONTRACTS to a datasets/contracts folder)" : $" from `{ContractsPath}`")}; " +
            $"example store: {session.Store?.Count ?? 0} examples.";
    }

    private static string? ContractsPath => Session.Workbench.ContractsPath;

    private static KgentSession Create() => new(new Workbench());
}
