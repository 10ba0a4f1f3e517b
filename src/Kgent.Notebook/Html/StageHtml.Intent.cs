using System.Text;
using Kgent.Kernel.Intent;
using static Kgent.Notebook.Html.HtmlText;

namespace Kgent.Notebook.Html;

/// <summary>The intent stage's views: the specification (each item with its request words, and its JSON to edit in a
/// <c>#!kgent intent</c> cell) and the intent check (every obligation with its outcome and line).</summary>
public static partial class StageHtml
{
    public static string Intent(IntentSpec spec)
    {
        var builder = new StringBuilder($"<b>Intent specification</b> {Badge(spec.Producer, "info")} <i>{E(spec.Request)}</i>");
        if (spec.IsEmpty)
        {
            builder.Append($" {Badge("nothing Kgent can check", "warn")}");
        }

        builder.Append("<table class='kg-intent'><tr><th>item</th><th>asks for</th><th>request words</th></tr>");
        foreach (var item in IntentSpecItems.Of(spec))
        {
            builder.Append($"<tr><td>{E(item.Label)}</td><td><code>{E(item.Text)}</code></td><td><i>{E(item.Words)}</i></td></tr>");
        }

        builder.Append("</table>");
        foreach (var note in spec.NotUnderstood)
        {
            builder.Append($"<div class='kg-hint'>not checked: {E(note)}</div>");
        }

        builder.Append(Details("JSON (edit it in a #!kgent intent cell, then rerun #!kgent symbex)", $"<pre class='kg-intent-json'>{E(IntentJson.Write(spec))}</pre>"));
        return Root("kgent-intent", builder.ToString());
    }

    public static string IntentCheck(IntentReport report)
    {
        var builder = new StringBuilder($"<b>Intent check</b> {IntentBadge(report.Verdict)} <i>{E(report.Spec.Request)}</i> " +
            $"<span class='kg-hint'>{report.Results.Length} obligations, {report.Results.Count(r => r.Outcome == ObligationOutcome.Proved)} proved; specification: {E(report.Spec.Producer)}</span>");
        if (report.Verdict == IntentVerdict.Refused)
        {
            builder.Append("<div class='kg-diag'>the program has errors; nothing was verified. Fix them (see #!kgent check) and rerun.</div>");
            builder.Append(string.Concat(report.Errors.Select(d => $"<div class='kg-diag'>{E(d.Code)}: {E(d.Message)}</div>")));
            return Root("kgent-intent-check", builder.ToString());
        }

        var failing = report.Results.Where(r => r.Outcome is ObligationOutcome.Refuted && r.Line is not null).Select(r => r.Line!.Value).ToHashSet();
        builder.Append(HtmlText.Program(report.Program, failing.Count == 0 ? null : failing));
        builder.Append("<table class='kg-obligations'><tr><th>obligation</th><th>asks for</th><th>request words</th><th>line</th><th>outcome</th><th>detail</th></tr>");
        foreach (var result in report.Results)
        {
            var witness = result.Inputs.IsEmpty ? string.Empty : $"<br><span class='kg-hint'>for example {E(string.Join(", ", result.Inputs.Select(i => i.ToString())))}</span>";
            builder.Append($"<tr><td>{E(IntentNames.Of(result.Obligation.Kind))}</td><td><code>{E(result.Obligation.Asks)}</code></td><td><i>{E(result.Obligation.Words)}</i></td>" +
                $"<td>{result.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—"}</td><td>{OutcomeBadge(result.Outcome)}</td><td>{E(result.Detail)}{witness}</td></tr>");
        }

        builder.Append("</table>");
        builder.Append(Details("the annotated program the verifier ran (its assert lines are value properties)", HtmlText.Program(report.Annotated)));
        foreach (var warning in report.Warnings)
        {
            builder.Append($"<div class='kg-hint'>warning: {E(warning)}</div>");
        }

        foreach (var note in report.Spec.NotUnderstood)
        {
            builder.Append($"<div class='kg-hint'>not checked: {E(note)}</div>");
        }

        return Root("kgent-intent-check", builder.ToString());
    }

    /// <summary>The verdict as a badge: green only for verified; "nothing to prove" is grey, never success.</summary>
    public static string IntentBadge(IntentVerdict verdict) => verdict switch
    {
        IntentVerdict.Verified => Badge("verified", "ok"),
        IntentVerdict.Refuted => Badge("refuted", "bad"),
        IntentVerdict.Refused => Badge("refused: the program has errors", "bad"),
        IntentVerdict.NothingToProve => Badge("nothing to prove", "info"),
        _ => Badge("unknown", "warn"),
    };

    private static string OutcomeBadge(ObligationOutcome outcome) => outcome switch
    {
        ObligationOutcome.Proved => Badge("proved", "ok"),
        ObligationOutcome.Refuted => Badge("refuted", "bad"),
        ObligationOutcome.Dropped => Badge("dropped: vacuous", "warn"),
        _ => Badge("unknown", "warn"),
    };
}
