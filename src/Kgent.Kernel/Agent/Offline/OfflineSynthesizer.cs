using System.Text.RegularExpressions;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Agent.Offline;

/// <summary>The offline model's synthesis: an ordered list of candidate programs for a request. Retrieved examples
/// whose hook the request's words call for come first (adapted: process/PID filter added), then a program built from
/// the best lexicon hook in the shape the request asks for, then the other matching examples and hooks; an example on a
/// hook the request's words do not call for is never one. Attempt N of the loop
/// gets candidate N, so each failure moves on to the next-best hook or example.</summary>
internal static partial class OfflineSynthesizer
{
    [GeneratedRegex(@"\b(?:tracepoint|t):(?<category>\w+):(?<event>\w+)\b")]
    private static partial Regex NamedTracepoint();

    /// <summary>The tracepoints a request names outright ("Hint: use tracepoint:block:block_rq_issue").</summary>
    public static IReadOnlySet<string> NamedHooks(string request) =>
        NamedTracepoint().Matches(request).Select(m => $"tracepoint:{m.Groups["category"].Value}:{m.Groups["event"].Value}").ToHashSet(StringComparer.Ordinal);

    /// <summary>The attach points of a program, or none when it does not parse.</summary>
    public static IReadOnlyList<string> AttachPoints(string program)
    {
        var parse = BpftraceParser.Parse(program, "candidate.bt");
        return parse.HasErrors ? [] : [.. parse.Program.Probes.SelectMany(p => p.AttachPoints).Select(a => a.CanonicalText)];
    }

    /// <param name="unrelated">Also the examples on hooks the request's words do not call for (the retrieval-only baseline,
    /// as the model was before it composed).</param>
    public static IReadOnlyList<string> Candidates(string request, IReadOnlyList<Example> examples, ProbeCatalog? catalog, bool unrelated = false)
    {
        var shape = RequestShape.Of(request);
        var words = ExampleQuery.Terms(request).ToHashSet(StringComparer.Ordinal);
        bool Available(HookTemplate h) => catalog is null || (h.TracepointName.Split(':') is [var c, var e] && catalog.FindTracepoint(c, e) is not null);
        // A hook the request names outright ("Hint: use tracepoint:block:block_rq_issue") comes first: from the lexicon
        // when it is there, else as a plain template on that tracepoint.
        var named = NamedTracepoint().Matches(request).Select(m => $"tracepoint:{m.Groups["category"].Value}:{m.Groups["event"].Value}").Distinct()
            .Select(a => HookLexicon.All.FirstOrDefault(h => h.AttachPoint == a) ?? new HookTemplate([], a, a.Split(':')[^1].Replace("sys_enter_", string.Empty, StringComparison.Ordinal), null, null, "%-7d %-16s\\n", "pid, comm"))
            .Where(Available)
            .ToList();
        var hooks = named.Concat(HookLexicon.All
            .Where(Available)
            // The first three words of a hook are its verbs ("open, opens, opened"); they weigh twice the nouns ("file").
            .Select(h => (Hook: h, Score: h.Words.Select((w, i) => words.Contains(w) ? (i < 3 ? 2 : 1) : 0).Sum()))
            .Where(h => h.Score > 0)
            .OrderByDescending(h => h.Score)
            .Select(h => h.Hook))
            .DistinctBy(h => h.AttachPoint)
            .ToList();
        var namedHooks = named.Select(h => h.AttachPoint).ToHashSet(StringComparer.Ordinal);
        var hookNames = hooks.Select(h => h.AttachPoint).ToHashSet(StringComparer.Ordinal);

        var matching = new List<(string Program, bool SameShape, bool Named)>();
        var others = new List<string>();
        foreach (var example in examples)
        {
            var parse = BpftraceParser.Parse(example.Program, "example.bt");
            if (parse.HasErrors || !parse.Program.Probes.Any())
            {
                continue;
            }

            var attachPoints = parse.Program.Probes.SelectMany(p => p.AttachPoints).Select(a => a.CanonicalText).ToList();
            var adapted = Adapt(example.Program, parse, shape);
            // An example on a hook the request's words do not call for answers another question: it is not a candidate
            // (but for the baseline).
            if (attachPoints.Any(hookNames.Contains))
            {
                matching.Add((adapted, SameShape(example.Program, shape), attachPoints.Any(namedHooks.Contains)));
            }
            else if (unrelated)
            {
                others.Add(adapted);
            }
        }

        // Examples in the shape the request asks for (count, histogram, sum, print) first, keeping retrieval order.
        var ranked = matching.OrderByDescending(m => m.Named).ThenByDescending(m => m.SameShape).Select(m => m.Program).ToList();
        var exampleFirst = matching.Any(m => m.SameShape && (m.Named || namedHooks.Count == 0));

        var built = hooks.Select(h => Build(h, shape)).ToList();
        var ordered = new List<string>();
        // A retrieved example in the requested shape beats a built program; a built program in that shape beats an example in another.
        if (exampleFirst)
        {
            ordered.AddRange(ranked.Take(1));
            ordered.AddRange(built.Take(1));
        }
        else
        {
            ordered.AddRange(built.Take(1));
            ordered.AddRange(ranked.Take(1));
        }

        ordered.AddRange(ranked.Skip(1));
        ordered.AddRange(others);
        ordered.AddRange(built.Skip(1));
        return [.. ordered.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A program for one hook in the requested shape.</summary>
    public static string Build(HookTemplate hook, RequestShape shape)
    {
        var predicates = new List<string>();
        if (hook.Predicate is { } always)
        {
            predicates.Add(always);
        }

        if (shape.ProcessName is { } name)
        {
            predicates.Add($"comm == \"{name}\"");
        }

        if (shape.Pid is { } pid)
        {
            predicates.Add($"pid == {pid}");
        }

        var key = shape.Key is { } k ? $"[{k}]" : string.Empty;
        var body = shape.Output switch
        {
            "hist" when hook.Size is { } size => $"  @{hook.Noun}_size{key} = hist({size});",
            "sum" when hook.Size is { } size => $"  @{hook.Noun}_bytes{key} = sum({size});",
            "print" => $"  printf(\"{hook.PrintFormat}\", {hook.PrintArguments});",
            _ => $"  @{hook.Noun}{(key.Length == 0 ? "[comm]" : key)} = count();",
        };
        var predicate = predicates.Count == 0 ? string.Empty : $"/{string.Join(" && ", predicates)}/\n";
        return $"{hook.AttachPoint}\n{predicate}{{\n{body}\n}}\n";
    }

    private static bool SameShape(string program, RequestShape shape) => shape.Output switch
    {
        "hist" => program.Contains("hist(", StringComparison.Ordinal),
        "sum" => program.Contains("sum(", StringComparison.Ordinal),
        "print" => program.Contains("printf(", StringComparison.Ordinal),
        _ => program.Contains("count()", StringComparison.Ordinal),
    };

    /// <summary>Adds the request's process or PID filter to every probe of a retrieved example that lacks one.</summary>
    private static string Adapt(string program, ParseResult parse, RequestShape shape)
    {
        var filter = shape.ProcessName is { } name ? $"comm == \"{name}\"" : shape.Pid is { } pid ? $"pid == {pid}" : null;
        if (filter is null)
        {
            return program;
        }

        var text = program;
        foreach (var probe in parse.Program.Probes.Where(p => p.AttachPoints.All(a => a.Type is not (ProbeType.Begin or ProbeType.End or ProbeType.Interval))
                         && p.Predicate?.DescendantNodesAndSelf().OfType<Kgent.Kernel.Bpftrace.Syntax.Expressions.BuiltinExpression>().Any(b => b.Name is "comm" or "pid") != true)
                     .OrderByDescending(p => p.Span.Start))
        {
            if (probe.Predicate is { } predicate)
            {
                text = text.Insert(predicate.Span.End, $") && {filter}").Insert(predicate.Span.Start, "(");
            }
            else
            {
                text = text.Insert(probe.Body.Span.Start, $"/{filter}/\n");
            }
        }

        return text;
    }
}
