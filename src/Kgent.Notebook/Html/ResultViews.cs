using Kgent.Kernel.Agent;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;

namespace Kgent.Notebook.Html;

/// <summary>How every stage's result is shown, as HTML and as plain text: the one table both notebook hosts read (the
/// .NET Interactive extension registers a formatter per row; the native Jupyter kernel sends both as a display's
/// <c>text/html</c> and <c>text/plain</c>).</summary>
public static class ResultViews
{
    /// <summary>One result type's two views.</summary>
    public sealed record View(Type Type, Func<object, string> Html, Func<object, string> Text);

    public static IReadOnlyList<View> All { get; } =
    [
        Of<CheckResult>(StageHtml.Check, r => $"check: {r.Errors.Count()} errors, {r.Warnings.Count()} warnings"),
        Of<Kgent.Kernel.Libbpf.Check.CCheckResult>(StageHtml.CCheck, r => $"check (C): {r.Errors.Count()} errors, {r.Warnings.Count()} warnings"),
        Of<CandidateProgram>(c => StageHtml.Candidate(c.Text), c => c.Text),
        Of<AnnotatedProgram>(StageHtml.Annotated, a => a.Text),
        Of<SymbolicResult>(StageHtml.Symbolic, r => $"symbolic verifier: {r.Overall.Display()} ({r.Assertions.Length} assertions)"),
        Of<IntentSpec>(StageHtml.Intent, s => $"intent specification ({s.Producer}): " + string.Join("; ", IntentSpecItems.Of(s).Select(i => $"{i.Label} {i.Text}"))),
        Of<IntentReport>(StageHtml.IntentCheck, r => $"intent check: {r.VerdictText} ({r.Results.Length} obligations)"),
        Of<LoadVerdict.Accepted>(StageHtml.Load, a => $"kernel verifier: accepted ({a.Probes.Length} attach points)"),
        Of<LoadVerdict.Rejected>(StageHtml.Load, r => $"kernel verifier: rejected at {LoadDiagnostics.Stage(r.Stage)}: {r.Message}"),
        Of<RunResult>(StageHtml.Run, r => $"run: {r.Printf.Length} printf events, {r.Maps.Length} maps, stopped by {r.StoppedBy}"),
        Of<Prompt>(StageHtml.Prompt, p => p.UserMessage),
        Of<EvalReport>(StageHtml.Eval, r => r.Summary.ToMarkdown()),
        Of<ExampleSearch>(StageHtml.Examples, s => string.Join("\n", s.Matches.Select(m => $"{m.Score:F2}  {m.Example.Request}"))),
        Of<SynthesisResult.Succeeded>(StageHtml.Synthesis, s => (s.IsVerified ? "verified:\n" : $"not verified ({s.Verdict}):\n") + s.Program),
        Of<SynthesisResult.GaveUp>(StageHtml.Synthesis, g => $"gave up after {g.Attempts.Length} attempts"),
        Of<ProgramResult>(
            r => $"<div class='kg-program-name' style='color:#57606a;font:12px sans-serif;margin-bottom:2px'>{HtmlText.E(r.Caption)}</div>" + Html(r.Result),
            r => r.Caption + Environment.NewLine + Text(r.Result)),
        Of<HookContract>(c => $"<div class='kg kgent-contract'><b>{HtmlText.E(c.Title)}</b>: {HtmlText.E(c.Summary)}<ul>" +
            string.Concat(c.Pre.Select(p => $"<li>pre: <code>{HtmlText.E(p.Text)}</code></li>")) +
            string.Concat(c.Post.Select(p => $"<li>post: <code>{HtmlText.E(p.Text)}</code></li>")) +
            string.Concat(c.Notes.Select(n => $"<li>note: <code>{HtmlText.E(n.Subject)}</code>: {HtmlText.E(n.Text)}</li>")) + "</ul></div>", c => c.Title),
    ];

    /// <summary>The view for a value's type, or null for a type no stage returns.</summary>
    public static View? For(object value) => All.FirstOrDefault(v => v.Type.IsInstanceOfType(value));

    /// <summary>The value as HTML: its view, else its text, escaped.</summary>
    public static string Html(object value) => For(value)?.Html(value) ?? $"<pre>{HtmlText.E(value.ToString() ?? string.Empty)}</pre>";

    /// <summary>The value as plain text: its view, else its <see cref="object.ToString"/>.</summary>
    public static string Text(object value) => For(value)?.Text(value) ?? value.ToString() ?? string.Empty;

    private static View Of<T>(Func<T, string> html, Func<T, string> text) => new(typeof(T), value => html((T)value), value => text((T)value));
}
