using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Porting;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Semantics;

namespace Kgent.Kernel.Agent.Repair;

/// <summary>A candidate with its repairs, when they made it free of errors.</summary>
public sealed record RepairOutcome(Candidate Candidate, ImmutableArray<RepairStep> Steps);

/// <summary>
/// The repair stage, before a retry: when a candidate's errors each have one fix that keeps the program's meaning, Kgent
/// applies them and checks the program again, round by round, instead of asking the model. The fixes are the diagnostics'
/// own (<see cref="TextFix"/>: a did-you-mean field or probe, a missing ';' or '}', <c>str()</c> around a <c>char *</c>
/// printed with <c>%s</c>), a rewrite into the target release's dialect (<see cref="DialectPorter"/>), and on a host that
/// cannot attach kprobes a kprobe replaced by the tracepoints that observe the same calls (<see cref="KprobeTwins"/>).
/// A repair counts only when the program ends with no error; otherwise the model gets the original diagnostics.
/// </summary>
public static class ProgramRepairer
{
    /// <summary>At most this many rounds of fixes (a parse fix can reveal a field to fix).</summary>
    public const int MaxRounds = 4;

    /// <param name="errorsOf">The candidate's errors: its parse errors, else the semantic check's blocking errors.</param>
    public static RepairOutcome? Repair(Candidate candidate, Func<Candidate, IReadOnlyList<Diagnostic>> errorsOf, Version target, ProbeCatalog? catalog)
    {
        var current = candidate;
        var steps = new List<RepairStep>();
        for (var round = 0; round <= MaxRounds; round++)
        {
            var errors = errorsOf(current);
            if (errors.Count == 0)
            {
                return steps.Count == 0 ? null : new RepairOutcome(current, [.. steps]);
            }

            if (round == MaxRounds)
            {
                break;
            }

            var next = Fixes(current, errors, steps) ?? Dialect(current, target, steps) ?? Twins(current, errors, catalog, steps);
            if (next is null || next == current.Text)
            {
                return null;
            }

            current = Candidate.Of(next, candidate.Path);
        }

        return null;
    }

    /// <summary>The diagnostics' own fixes, applied from the end so the earlier spans stay valid; null when none has one.</summary>
    private static string? Fixes(Candidate candidate, IReadOnlyList<Diagnostic> errors, List<RepairStep> steps)
    {
        var fixes = errors.Select(e => e.Fix).OfType<TextFix>().DistinctBy(f => (f.Span, f.Replacement)).OrderByDescending(f => f.Span.Start).ToList();
        if (fixes.Count == 0)
        {
            return null;
        }

        var text = candidate.Text;
        var source = candidate.Parse.Source;
        var applied = new List<RepairStep>();
        var limit = int.MaxValue;
        foreach (var fix in fixes)
        {
            if (fix.Span.End > limit || fix.Span.End > text.Length)
            {
                continue; // overlaps one applied already: the next round sees it again
            }

            applied.Add(new RepairStep(fix.Kind, source.GetLinePosition(fix.Span.Start).Line, text.Substring(fix.Span.Start, fix.Span.Length), fix.Replacement));
            text = fix.Apply(text);
            limit = fix.Span.Start;
        }

        applied.Reverse();
        steps.AddRange(applied);
        return text;
    }

    /// <summary>The program in the target release's dialect, where the meaning is unchanged; null when that changes nothing.</summary>
    private static string? Dialect(Candidate candidate, Version target, List<RepairStep> steps)
    {
        var ported = DialectPorter.InDialect(candidate.Text, target, candidate.Path);
        if (ported == candidate.Text)
        {
            return null;
        }

        var before = candidate.Text.Split('\n');
        var after = ported.Split('\n');
        var line = Enumerable.Range(0, Math.Min(before.Length, after.Length)).FirstOrDefault(i => before[i] != after[i]);
        steps.Add(new RepairStep(RepairStep.Dialect, line + 1, before.ElementAtOrDefault(line) ?? string.Empty, after.ElementAtOrDefault(line) ?? string.Empty));
        return ported;
    }

    /// <summary>On a host that cannot attach kprobes, each kprobe probe whose function has a tracepoint twin, with every
    /// argument it reads mapped, attached to the twin instead; null when a probe cannot be moved.</summary>
    private static string? Twins(Candidate candidate, IReadOnlyList<Diagnostic> errors, ProbeCatalog? catalog, List<RepairStep> steps)
    {
        if (catalog is null || catalog.Host.CanAttach(ProbeType.Kprobe)
            || !errors.Any(e => e.Descriptor == SemanticDiagnostics.ProbeTypeUnavailable))
        {
            return null;
        }

        var text = candidate.Text;
        var edits = new List<(TextSpan Span, string Replacement)>();
        var moved = new List<RepairStep>();
        foreach (var probe in candidate.Parse.Program.Probes.Where(p => p.AttachPoints.Any(a => a.Type is ProbeType.Kprobe or ProbeType.Kretprobe)))
        {
            if (Twin(probe, text, catalog) is not { } twin)
            {
                return null;
            }

            var points = TextSpan.FromBounds(probe.AttachPoints[0].Span.Start, probe.AttachPoints[^1].Span.End);
            edits.Add((points, string.Join(", ", twin.Tracepoints)));
            edits.AddRange(twin.Uses);
            moved.Add(new RepairStep(RepairStep.KprobeTwin, candidate.Parse.Source.GetLinePosition(points.Start).Line, text.Substring(points.Start, points.Length),
                string.Join(", ", twin.Tracepoints)));
        }

        if (edits.Count == 0)
        {
            return null;
        }

        foreach (var (span, replacement) in edits.OrderByDescending(e => e.Span.Start))
        {
            text = string.Concat(text.AsSpan(0, span.Start), replacement, text.AsSpan(span.End));
        }

        steps.AddRange(moved);
        return text;
    }

    /// <summary>The tracepoints a kprobe probe moves to and the edits of the builtins it reads, or null.</summary>
    private static (IReadOnlyList<string> Tracepoints, IReadOnlyList<(TextSpan Span, string Replacement)> Uses)? Twin(Probe probe, string text, ProbeCatalog catalog)
    {
        var tracepoints = new List<string>();
        var arguments = new List<IReadOnlyDictionary<string, string>>();
        foreach (var point in probe.AttachPoints)
        {
            if (point.Type is not (ProbeType.Kprobe or ProbeType.Kretprobe) || point.Parts.Length == 0
                || KprobeTwins.Of(point.Parts[^1].Split('+')[0], point.Type == ProbeType.Kretprobe) is not { } twin)
            {
                return null;
            }

            var present = twin.Tracepoints.Where(t => t.Split(':') is [_, var category, var name] && catalog.FindTracepoint(category, name) is not null).ToList();
            if (present.Count == 0)
            {
                return null;
            }

            tracepoints.AddRange(present);
            arguments.Add(twin.Arguments);
        }

        var uses = new List<(TextSpan, string)>();
        var end = probe.Body.Span.End;
        foreach (var (name, span) in BuiltinWords(text, probe.AttachPoints[^1].Span.End, end))
        {
            if (name is "func" or "probe")
            {
                return null; // the name of the probe or function would change
            }

            if (name.StartsWith("arg", StringComparison.Ordinal) || name == "retval")
            {
                var mapped = arguments.Select(a => a.GetValueOrDefault(name)).Distinct().ToList();
                if (mapped is not [{ } expression])
                {
                    return null;
                }

                uses.Add((span, expression));
            }
        }

        return (tracepoints.Distinct().ToList(), uses);
    }

    /// <summary>The bare words in <paramref name="text"/> between the offsets that are builtins a kprobe reads
    /// (<c>arg0</c>…<c>arg9</c>, <c>retval</c>, <c>func</c>, <c>probe</c>), outside strings and comments and not a
    /// variable's, map's or field's name.</summary>
    private static IEnumerable<(string Name, TextSpan Span)> BuiltinWords(string text, int start, int end)
    {
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                while (i < end && text[i] != '"')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                i++;
            }
            else if (c == '/' && i + 1 < end && text[i + 1] == '/')
            {
                while (i < end && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && i + 1 < end && text[i + 1] == '*')
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? end : close + 2;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var from = i;
                while (i < end && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text[from..i];
                var before = from > 0 ? text[from - 1] : ' ';
                var field = before == '.' || (before == '>' && from > 1 && text[from - 2] == '-');
                if (!field && before is not ('$' or '@') && (word is "retval" or "func" or "probe" || (word.Length == 4 && word.StartsWith("arg", StringComparison.Ordinal) && char.IsDigit(word[3]))))
                {
                    yield return (word, TextSpan.FromBounds(from, i));
                }
            }
            else
            {
                i++;
            }
        }
    }
}
