using System.Globalization;
using System.Text;
using Kgent.Notebook.Charts;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;
using static Kgent.Notebook.Html.HtmlText;

namespace Kgent.Notebook.Html;

/// <summary>One HTML view per pipeline stage's result record. Each has a stable root id (<c>kgent-check</c>,
/// <c>kgent-symbex</c>, …) so tests and notebooks can find it. The core records stay free of any notebook dependency.</summary>
public static partial class StageHtml
{
    public static string Prompt(Prompt prompt)
    {
        var examples = string.Concat(prompt.Examples.Select(m =>
            $"<div class='kg-example'><b>{E(m.Example.Request)}</b> {Origin(m.Example)} <span class='kg-hint'>score {m.Score.ToString("F2", CultureInfo.InvariantCulture)}, {E(m.Example.Source)}</span>{HtmlText.Program(m.Example.Program)}</div>"));
        var feedback = prompt.Feedback.IsEmpty ? "<i>none yet</i>" : "<ul>" + string.Concat(prompt.Feedback.Select(f => $"<li>{E(f.ToPromptText())}</li>")) + "</ul>";
        return Root("kgent-prompt",
            $"<b>Prompt</b> for <i>{E(prompt.Request)}</i>" +
            Details("boilerplate", $"<pre>{E(prompt.Boilerplate)}</pre>") +
            Details($"request", $"<pre>{E(prompt.Request)}</pre>", open: true) +
            Details($"retrieved examples ({prompt.Examples.Length})", examples, open: true) +
            Details($"feedback so far ({prompt.Feedback.Length})", feedback, open: !prompt.Feedback.IsEmpty) +
            (prompt.HookFacts.Length == 0 ? string.Empty : Details("the hooks' fields and contract notes", $"<pre>{E(prompt.HookFacts)}</pre>")) +
            (prompt.FailedProgram is { } failed ? Details("the failed program, with its problems", $"<pre>{E(failed)}</pre>", open: true) : string.Empty) +
            Details($"the whole user message ({prompt.Characters.ToString("N0", CultureInfo.InvariantCulture)} characters with the system message, about {prompt.EstimatedTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens)",
                $"<pre>{E(prompt.UserMessage)}</pre>"));
    }

    /// <summary>The example's origin as a badge: a synthesized one stands out from the dataset's and a user's.</summary>
    private static string Origin(Example example) =>
        $"<span class='kg-origin'>{Badge(example.Origin.Label(), example.Origin == ExampleOrigin.Synthesized ? "warn" : "info")}</span>";

    public static string Examples(ExampleSearch search) =>
        Root("kgent-examples", $"<b>Example store</b> <span class='kg-hint'>{search.Matches.Count} closest to</span> <i>{E(search.Query)}</i>" +
            (search.Matches.Count == 0 ? "<div><i>no example shares a word with the query</i></div>" : string.Concat(search.Matches.Select(m =>
                $"<div class='kg-example'><b>{E(m.Example.Request)}</b> {Origin(m.Example)} <span class='kg-hint'>score {m.Score.ToString("F2", CultureInfo.InvariantCulture)}, {E(m.Example.Source)}</span>" +
                Details("program", HtmlText.Program(m.Example.Program)) + "</div>"))));

    /// <summary>The paper's Table 1 figures that it states outright (GPT-4, its 40 prompts, judged by hand), shown beside
    /// ours for reference only: different prompts, model and judge.</summary>
    public static readonly IReadOnlyDictionary<string, string> PaperAccuracy = new Dictionary<string, string>
    {
        ["few-shot"] = "30%",
        ["kgent"] = "80%",
    };

    public static string Eval(EvalReport report)
    {
        var summary = report.Summary;
        var rows = summary.Rows;
        var builder = new StringBuilder($"<b>Evaluation</b> {Badge(summary.Model, "info")} <span class='kg-hint'>{summary.Cases} cases × {rows.Length} configurations × " +
            $"{summary.Repetitions} repetition(s) from {E(summary.Suite)}; files in {E(report.Directory)}</span>");
        string Percent(double share) => (share * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";
        if (summary.HasOracles)
        {
            builder.Append("<table class='kg-eval-table'><tr><th>configuration</th><th>runs</th><th>correct</th><th>false positive</th><th>false negative</th><th>mean attempts</th><th>median time</th><th>paper (GPT-4)</th></tr>");
            foreach (var row in rows)
            {
                builder.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(row.Configuration)}</td><td>{row.Runs}</td><td>{Percent(row.Accuracy)} ({row.Correct})</td>" +
                    $"<td>{Percent(row.FalsePositiveRate)} ({row.FalsePositives})</td><td>{Percent(row.FalseNegativeRate)} ({row.FalseNegatives})</td>" +
                    $"<td>{row.MeanAttempts:F1}</td><td>{row.MedianSeconds:F1} s</td><td>{PaperAccuracy.GetValueOrDefault(row.Configuration, "—")}</td></tr>");
            }

            builder.Append("</table><div class='kg-hint'>paper (GPT-4): the accuracy the Kgent paper (eBPF '24) reports for its own 40 prompts, judged by hand, " +
                "where it states the figure; for reference only (other prompts, model and judge).</div>");
            var names = rows.Select(r => r.Configuration).ToArray();
            builder.Append(PlotlyCharts.GroupedBars(names, ["correct", "false positive", "false negative"],
                [[.. rows.Select(r => r.Accuracy * 100)], [.. rows.Select(r => r.FalsePositiveRate * 100)], [.. rows.Select(r => r.FalseNegativeRate * 100)]],
                "% of runs", Bars(rows.Select(r => (r.Configuration, (long)Math.Round(r.Accuracy * 100))), "kg-eval")));
        }
        else
        {
            builder.Append("<table class='kg-eval-table'><tr><th>configuration</th><th>runs</th><th>returned a program</th><th>gave up</th><th>mean attempts</th></tr>");
            foreach (var row in rows)
            {
                builder.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(row.Configuration)}</td><td>{row.Runs}</td><td>{row.Returned}</td><td>{row.GaveUp}</td><td>{row.MeanAttempts:F1}</td></tr>");
            }

            builder.Append("</table>");
        }

        var caught = rows.SelectMany(r => r.CaughtBy).GroupBy(c => c.Key).Select(g => $"{g.Key} {g.Sum(c => c.Value)}").ToArray();
        builder.Append($"<div class='kg-hint'>attempts rejected, by stage: {(caught.Length == 0 ? "none" : E(string.Join(", ", caught)))}</div>");
        var runs = string.Concat(report.Runs.Select(r =>
            $"<tr><td>{E(r.Configuration)}</td><td>{E(r.CaseId)}</td><td>{E(r.Outcome.ToString())}</td><td>{E(r.StoppedAt)}</td><td>{r.Attempts}</td><td>{E(string.Join("; ", r.OracleFailures))}</td></tr>"));
        builder.Append(Details($"every run ({report.Runs.Length})",
            $"<table class='kg-eval-runs'><tr><th>configuration</th><th>case</th><th>outcome</th><th>stopped at</th><th>attempts</th><th>oracle</th></tr>{runs}</table>"));
        return Root("kgent-eval", builder.ToString());
    }

    public static string Check(CheckResult result)
    {
        var lines = result.Diagnostics.Select(d => result.Parse.Source.GetLinePosition(d.Span.Start).Line).ToHashSet();
        var diagnostics = string.Concat(result.Diagnostics.Select(d =>
        {
            var at = result.Parse.Source.GetLinePosition(d.Span.Start);
            return $"<div class='kg-diag'>{at.Line}:{at.Column}: {E(d.Severity.ToString().ToLowerInvariant())} {E(d.Code)}: {E(d.Message)}" +
                (d.Hint is null ? string.Empty : $" <span class='kg-hint'>hint: {E(d.Hint)}</span>") + "</div>";
        }));
        var badge = result.HasErrors ? Badge($"{result.Errors.Count()} errors", "bad") : Badge("no errors", "ok");
        return Root("kgent-check", $"<b>Semantic check</b> {badge} <span class='kg-hint'>catalog: {E(result.CatalogSource)}</span>" +
            HtmlText.Program(result.Parse.Source.Text, lines) + diagnostics);
    }

    public static string CCheck(Kgent.Kernel.Libbpf.Check.CCheckResult result)
    {
        var lines = result.Diagnostics.Select(d => result.Source.GetLinePosition(d.Span.Start).Line).ToHashSet();
        var diagnostics = string.Concat(result.Diagnostics.Select(d =>
        {
            var at = result.Source.GetLinePosition(d.Span.Start);
            return $"<div class='kg-diag'>{at.Line}:{at.Column}: {E(d.Severity.ToString().ToLowerInvariant())} {E(d.Code)}: {E(d.Message)}" +
                (d.Hint is null ? string.Empty : $" <span class='kg-hint'>hint: {E(d.Hint)}</span>") + "</div>";
        }));
        var badge = result.HasErrors ? Badge($"{result.Errors.Count()} errors", "bad") : Badge("no errors", "ok");
        return Root("kgent-check", $"<b>Check (libbpf C: clang, hooks, context structs, safety)</b> {badge} <span class='kg-hint'>catalog: {E(result.CatalogSource)}</span>" +
            HtmlText.Program(result.Source.Text, lines) + diagnostics);
    }

    public static string Candidate(string program) =>
        Root("kgent-candidate", "<b>Candidate program</b> <span class='kg-hint'>from the model, not yet checked</span>" + HtmlText.Program(program));

    public static string Annotated(AnnotatedProgram annotated)
    {
        var sources = annotated.Sources.IsDefault ? [] : annotated.Sources;
        var contracts = sources.Select(s => s.Contract).Distinct().ToArray();
        return Root("kgent-annotated", "<b>Annotated program</b> <span class='kg-hint'>assume/assert lines highlighted" +
            (contracts.Length == 0 ? "; no contract applies to these probes" : $"; from the contracts of {E(string.Join(", ", contracts))}") + "</span>" +
            HtmlText.Program(annotated.Text, lineNotes: sources.ToDictionary(s => s.Line, s => $"{s.Contract}: {s.Clause}")));
    }

    public static string Symbolic(SymbolicResult result)
    {
        var builder = new StringBuilder();
        builder.Append($"<b>Symbolic verifier</b> {VerdictBadge(result.Overall)} <span class='kg-hint'>{result.Queries.Length} solver queries; contracts: {E(string.Join(", ", result.ContractsUsed))}</span>");
        var failing = result.Assertions.Where(a => a.Verdict.Kind != VerdictKind.Verified).Select(a => a.Position.Line).ToHashSet();
        builder.Append(HtmlText.Program(result.Parse.Source.Text, failing));
        builder.Append("<table class='kg-assertions'><tr><th>line</th><th>assertion</th><th>verdict</th></tr>");
        foreach (var assertion in result.Assertions)
        {
            builder.Append($"<tr><td>{assertion.Position.Line}</td><td><code>{E(assertion.Text)}</code></td><td>{VerdictBadge(assertion.Verdict.Kind)}</td></tr>");
        }

        builder.Append("</table>");
        foreach (var assertion in result.Assertions)
        {
            switch (assertion.Verdict)
            {
                case SymbolicVerdict.Counterexample c:
                    builder.Append($"<div class='kg-counterexample'><b>Counterexample</b> for line {assertion.Position.Line}: {E(c.Explanation)}");
                    builder.Append("<table><tr><th>value</th><th>is</th></tr>");
                    foreach (var value in c.Terms.Concat(c.Variables).Concat(c.Inputs).DistinctBy(v => v.Name))
                    {
                        builder.Append($"<tr><td><code>{E(value.Name)}</code></td><td>{E(value.Display)}</td></tr>");
                    }

                    builder.Append("</table>");
                    if (!c.Path.IsEmpty)
                    {
                        builder.Append(Details("path", "<ol>" + string.Concat(c.Path.Select(p => $"<li>{E(p)}</li>")) + "</ol>"));
                    }

                    foreach (var note in c.Notes)
                    {
                        builder.Append($"<div class='kg-hint'>contract: {E(note)}</div>");
                    }

                    builder.Append("</div>");
                    break;
                case SymbolicVerdict.Unknown u:
                    builder.Append($"<div class='kg-hint'>line {assertion.Position.Line}: unknown: {E(u.Reason)}</div>");
                    break;
                case SymbolicVerdict.Unsupported u:
                    builder.Append($"<div class='kg-hint'>line {assertion.Position.Line}: unsupported: {E(u.Construct)}</div>");
                    break;
            }
        }

        var smt = result.Queries.Where(q => q.Smt2Path is not null && File.Exists(q.Smt2Path)).Take(5)
            .Select(q => Details($"SMT-LIB query {q.Index} ({q.Answer.ToString().ToLowerInvariant()})", $"<pre class='kg-smt2'>{E(File.ReadAllText(q.Smt2Path!))}</pre>"));
        builder.Append(string.Concat(smt));
        foreach (var note in result.Notes)
        {
            builder.Append($"<div class='kg-hint'>note: {E(note)}</div>");
        }

        return Root("kgent-symbex", builder.ToString());
    }

    public static string Load(LoadVerdict verdict) => Root("kgent-verify", LoadBody(verdict));

    private static string LoadBody(LoadVerdict verdict) => verdict switch
    {
        LoadVerdict.Accepted a =>
            $"<b>Kernel verifier</b> {Badge("accepted", "ok")} {a.Probes.Length} attach points loaded and attached in {a.LoadTime.TotalMilliseconds:F0} ms, then detached" +
            "<ul>" + string.Concat(a.Probes.Select(p => $"<li><code>{E(p)}</code></li>")) + "</ul>",
        LoadVerdict.Rejected r =>
            $"<b>Kernel verifier</b> {Badge($"rejected: {LoadDiagnostics.Stage(r.Stage)}", "bad")} <div class='kg-diag'>{E(r.Message)}</div>" +
            (r.Hint is null ? string.Empty : $"<div class='kg-hint'>hint: {E(r.Hint)}</div>") +
            (r.Verifier is { } v
                ? $"<div>verifier: <b>{E(v.Message)}</b></div><pre class='kg-verifier-log'>{string.Join("\n", v.LogTail.Split('\n').Select(l => v.Instruction is not null && l.Trim() == v.Instruction ? $"<span class='kg-error-line kg-offending'>{E(l)}</span>" : E(l)))}</pre>"
                : string.Empty) +
            Details("bpftrace output", $"<pre>{E(r.RawLog)}</pre>"),
        _ => E(verdict.ToString()),
    };

    public static string Run(RunResult result)
    {
        if (result.Load is LoadVerdict.Rejected)
        {
            return Root("kgent-run", "<b>Run</b>: not started, the program did not load. " + LoadBody(result.Load));
        }

        var builder = new StringBuilder($"<b>Run</b> {Badge(result.StoppedBy.ToString(), "info")} <span class='kg-hint'>{result.Traced.TotalSeconds:F1} s, {result.Printf.Length} printf events</span>");
        if (!result.Printf.IsEmpty)
        {
            builder.Append($"<pre class='kg-printf'>{E(string.Concat(result.Printf.Take(200)))}</pre>");
        }

        foreach (var map in result.Maps)
        {
            builder.Append($"<div class='kg-map-output'><b><code>{E(map.Name)}</code></b>{Map(map.Data)}</div>");
        }

        return Root("kgent-run", builder.ToString());
    }

    public static string Synthesis(SynthesisResult result)
    {
        var badge = result switch
        {
            SynthesisResult.Succeeded { IsVerified: true } => Badge("verified", "ok"),
            SynthesisResult.Succeeded s => Badge($"not verified: {s.Verdict}", s.Verdict == "unknown" ? "warn" : "info"),
            _ => Badge("gave up", "bad"),
        };
        var builder = new StringBuilder($"<b>Synthesis</b> {badge} <i>{E(result.Request)}</i> <span class='kg-hint'>model: {E(result.Model)}</span>");
        var total = Math.Max(1, result.Attempts.SelectMany(a => a.Timings).Sum(t => t.Elapsed.TotalMilliseconds));
        builder.Append("<table class='kg-timeline'><tr><th>attempt</th><th>stage</th><th>ms</th><th></th></tr>");
        foreach (var attempt in result.Attempts)
        {
            foreach (var timing in attempt.Timings)
            {
                var width = (int)(timing.Elapsed.TotalMilliseconds / total * 300);
                builder.Append($"<tr><td>{attempt.Number}</td><td>{E(timing.Stage)}</td><td>{timing.Elapsed.TotalMilliseconds:F0}</td><td><div style='background:#54aeff;height:10px;width:{Math.Max(1, width)}px'></div></td></tr>");
            }

            foreach (var feedback in attempt.Feedback)
            {
                builder.Append($"<tr><td>{attempt.Number}</td><td colspan='3' class='kg-diag'>{E(feedback.ToPromptText())}</td></tr>");
            }
        }

        builder.Append("</table>");
        if (result is SynthesisResult.Succeeded { IsVerified: false })
        {
            builder.Append("<div class='kg-hint'>this program passed every enabled check, but Kgent did not prove that it does what was asked: " +
                "read the last attempt's intent check (#!kgent symbex) before loading it.</div>");
        }

        foreach (var note in result.SpecNotes)
        {
            builder.Append($"<div class='kg-hint'>note: {E(note)}</div>");
        }

        var program = result switch
        {
            SynthesisResult.Succeeded s => s.Program,
            SynthesisResult.GaveUp g => g.LastCandidate,
            _ => null,
        };
        if (program is not null)
        {
            builder.Append(HtmlText.Program(program));
        }

        return Root("kgent-synth", builder.ToString());
    }

    private static string Map(MapData data) => data switch
    {
        MapData.Scalar s => $" = {s.Value}",
        MapData.Text t => $" = {E(t.Value)}",
        MapData.Stats s => $": count {s.Count}, average {s.Average}, total {s.Total}",
        MapData.Histogram h => Chart(h.Buckets.Select(b => ($"[{b.Min?.ToString(CultureInfo.InvariantCulture) ?? "…"}, {b.Max?.ToString(CultureInfo.InvariantCulture) ?? "…"}]", b.Count)), "kg-hist", "count", horizontal: false),
        MapData.Keyed k when k.Entries.All(e => e.Value is MapData.Scalar) =>
            Chart(k.Entries.Select(e => (e.Key, ((MapData.Scalar)e.Value).Value)).OrderByDescending(e => e.Value).Take(30), "kg-keyed", "value", horizontal: true),
        MapData.Keyed k => "<ul>" + string.Concat(k.Entries.Take(30).Select(e => $"<li><code>{E(e.Key)}</code>{Map(e.Value)}</li>")) + "</ul>",
        _ => string.Empty,
    };

    /// <summary>A Plotly bar chart (histogram buckets as columns, keyed values as sorted bars) over a static SVG of the same
    /// rows, which stays where scripts do not run.</summary>
    private static string Chart(IEnumerable<(string Label, long Value)> rows, string css, string valueAxis, bool horizontal)
    {
        var list = rows.ToList();
        return PlotlyCharts.Bars([.. list.Select(r => r.Label)], [.. list.Select(r => (double)r.Value)], valueAxis, horizontal, Bars(list, css));
    }

    /// <summary>A horizontal bar chart as inline SVG (renders offline, in Jupyter and VS Code alike).</summary>
    private static string Bars(IEnumerable<(string Label, long Value)> rows, string css)
    {
        var list = rows.ToList();
        var max = Math.Max(1, list.Select(r => r.Value).DefaultIfEmpty(0).Max());
        var height = (list.Count * 18) + 4;
        var svg = new StringBuilder($"<svg class='{css}' width='560' height='{height}' xmlns='http://www.w3.org/2000/svg' font-size='11' font-family='monospace'>");
        for (var i = 0; i < list.Count; i++)
        {
            var y = (i * 18) + 2;
            var width = (int)(list[i].Value * 300 / max);
            svg.Append($"<text x='0' y='{y + 12}'>{E(list[i].Label.Length > 24 ? list[i].Label[..23] + "…" : list[i].Label)}</text>");
            svg.Append($"<rect x='180' y='{y}' width='{Math.Max(1, width)}' height='14' fill='#54aeff'/>");
            svg.Append($"<text x='{186 + width}' y='{y + 12}'>{list[i].Value}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string VerdictBadge(VerdictKind kind) => kind switch
    {
        VerdictKind.Verified => Badge("verified", "ok"),
        VerdictKind.Counterexample => Badge("counterexample", "bad"),
        VerdictKind.Unknown => Badge("unknown", "warn"),
        VerdictKind.Refused => Badge("refused: safety policy", "bad"),
        VerdictKind.NothingToProve => Badge("nothing to prove", "info"),
        _ => Badge("unsupported", "warn"),
    };

    private static int outputs;

    /// <summary>The stage's root element: the class names the stage (stable, for styling and tests); the id adds a
    /// per-process sequence number so a notebook with the same stage twice keeps its ids unique.</summary>
    private static string Root(string stage, string body) =>
        $"{Style}<div class='kg {stage}' id='{stage}-{Interlocked.Increment(ref outputs)}'>{body}</div>";
}
