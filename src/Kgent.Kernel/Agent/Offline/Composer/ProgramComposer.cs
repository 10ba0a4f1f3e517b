using System.Globalization;
using System.Text;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Agent.Offline.Composer;

/// <summary>The offline model's composer: builds bpftrace programs from an intent specification and this kernel's
/// catalog, best first. For each event it takes a group of hooks (<see cref="HookChoice"/>) and writes the filters as
/// predicates, the asked fields as a printf (each in the conversion its C type needs), or a map with the computation,
/// its key and value; a latency as a start map keyed by what both ends share (the thread, the block request, the woken
/// task) read at the end, converted to the asked unit; periodic printing on an interval probe. The next composition uses
/// each event's next-best group. Nothing comes from an example but its style, so a composition is never an example's
/// answer to another question; and a specification with nothing to observe composes nothing.</summary>
internal static partial class ProgramComposer
{
    public const int Limit = 4;

    public static IReadOnlyList<ComposedProgram> Compose(IntentSpec spec, ProbeCatalog? catalog, CompositionStyle style, IReadOnlySet<string> named)
    {
        var kind = KindOf(spec);
        var results = new List<ComposedProgram>();
        void Add(ComposedProgram? composition)
        {
            if (composition is not null && results.TrueForAll(r => r.Program != composition.Program))
            {
                results.Add(composition);
            }
        }

        if (kind == ComputationKind.Latency)
        {
            if (spec.Events.FirstOrDefault(e => e.Role == EventRole.Start) is not { Hooks.IsEmpty: false } start
                || spec.Events.FirstOrDefault(e => e.Role == EventRole.End) is not { Hooks.IsEmpty: false } end)
            {
                return [];
            }

            // The start sees only the thread (or request) and any process filter; the end carries everything else.
            var startSpec = spec with { Fields = [], Keys = [], Value = null, Filters = [.. spec.Filters.Where(f => f.Kind is FilterKind.ProcessName or FilterKind.Pid)] };
            var starts = HookChoice.Groups(start, startSpec, catalog, named, needsValue: false);
            var ends = HookChoice.Groups(end, spec with { Value = null }, catalog, named, needsValue: false);
            if (starts.Count == 0 || ends.Count == 0)
            {
                // An end observed only by a probe a program cannot time (a sampling profile): nothing to compose.
                return [];
            }
            for (var k = 0; k < Math.Max(starts.Count, ends.Count) && results.Count < Limit; k++)
            {
                Add(Latency(spec, start, starts[Math.Min(k, starts.Count - 1)], ends[Math.Min(k, ends.Count - 1)], style));
            }

            return results;
        }

        var events = spec.Events.Where(e => e.Role == EventRole.Main && !e.Hooks.IsEmpty).ToList();
        if (events.Count == 0)
        {
            return [];
        }

        var needsValue = NeedsValue(kind);
        var groups = events.Select(e => HookChoice.Groups(e, spec, catalog, named, needsValue)).ToList();
        for (var k = 0; k < groups.Max(g => g.Count) && results.Count < Limit; k++)
        {
            var chosen = events.Select((e, i) => (Event: e, Sites: groups[i].Count == 0 ? [] : groups[i][Math.Min(k, groups[i].Count - 1)])).Where(c => c.Sites.Count > 0).ToList();
            Add(kind == ComputationKind.Print ? Print(spec, chosen, style) : Aggregate(spec, kind, chosen, style));
        }

        return results;
    }

    /// <summary>The computation to write: the specification's, or when it does not know ("show timer expirations per
    /// process" may be printed or counted) what the request's wording suggests.</summary>
    internal static ComputationKind KindOf(IntentSpec spec) =>
        spec.Computation?.Kind ?? RequestShape.Of(spec.Request).Output switch
        {
            "hist" => ComputationKind.Histogram,
            "sum" => ComputationKind.Sum,
            "print" => ComputationKind.Print,
            _ => ComputationKind.Count,
        };

    internal static bool NeedsValue(ComputationKind kind) => kind is not (ComputationKind.Count or ComputationKind.Print or ComputationKind.Latency);

    /// <summary>The keys asked for; with no computation understood, the fields the request names ("which destination
    /// ports …": the reader checks them as the key of an aggregation), else the key its wording suggests.</summary>
    internal static IReadOnlyList<IntentKey> KeysOf(IntentSpec spec)
    {
        if (!spec.Keys.IsEmpty || spec.Computation is not null)
        {
            return spec.Keys;
        }

        if (!spec.Fields.IsEmpty)
        {
            return [.. spec.Fields.Select(f => new IntentKey(f.Role, f.Words, f.Qualifier))];
        }

        return RequestShape.Of(spec.Request).Key switch
        {
            "comm" => [new IntentKey(IntentRoles.ProcessName, "process")],
            "pid" => [new IntentKey(IntentRoles.Pid, "pid")],
            "cpu" => [new IntentKey(IntentRoles.Cpu, "cpu")],
            "uid" => [new IntentKey(IntentRoles.User, "user")],
            _ => [],
        };
    }

    // ---------------------------------------------------------------- print

    private static ComposedProgram? Print(IntentSpec spec, IReadOnlyList<(IntentEvent Event, IReadOnlyList<Site> Sites)> chosen, CompositionStyle style)
    {
        var probes = new List<(string AttachPoint, string Predicate, string Body, string Event)>();
        foreach (var (intentEvent, sites) in chosen)
        {
            foreach (var site in sites)
            {
                var terms = PrintTerms(site, spec);
                if (Predicate(site, spec, spec.Value is { } v ? site.Resolve(v.Role, v.Qualifier)?.Expression : null) is not { } predicate)
                {
                    return null;
                }

                probes.Add((site.AttachPoint, predicate, BothFamilies(site, Printf(terms, style, string.Empty)), intentEvent.Name));
            }
        }

        return Program(spec, chosen, probes, [], style, "prints");
    }

    /// <summary>What one event's line shows: the asked fields this hook has (and the value), else the process ID and
    /// name, with the event's own salient fields unless the line's point is another value (a latency).</summary>
    internal static List<Term> PrintTerms(Site site, IntentSpec spec, bool withSalient = true)
    {
        var terms = new List<Term>();
        void Add(Term? term)
        {
            if (term is not null && terms.TrueForAll(t => t.Expression != term.Expression) && terms.Count < 6)
            {
                terms.Add(term);
            }
        }

        // Who did it first (the process ID and name, as opensnoop and its kin print them), then the asked fields in the
        // request's order, so "the sender's name, the target PID and the signal number" prints in that order.
        var ordered = spec.Fields.OrderBy(f => IsIdentity(f) ? 0 : 1).ThenBy(f => Position(spec.Request, f.Words)).ToList();
        if (Endpoints(site, ordered) is { } endpoints)
        {
            // "their addresses and ports": both ends of the connection, each as address:port.
            ordered.RemoveAll(f => f.Role is IntentRoles.Address or IntentRoles.Port && f.Qualifier is null);
            foreach (var field in ordered.Where(IsIdentity))
            {
                Add(site.Resolve(field.Role, field.Qualifier));
            }

            endpoints.ForEach(Add);
            ordered.RemoveAll(IsIdentity);
        }

        foreach (var field in ordered)
        {
            Add(site.Resolve(field.Role, field.Qualifier));
        }

        if (spec.Value is { } value)
        {
            Add(site.Resolve(value.Role, value.Qualifier));
        }

        if (terms.Count == 0)
        {
            Add(site.Resolve(IntentRoles.Pid, null));
            Add(site.Resolve(IntentRoles.ProcessName, null));
            foreach (var salient in withSalient ? Salient(site) : [])
            {
                Add(salient);
            }
        }

        return terms;
    }

    /// <summary>A line that prints a hook's IPv4 addresses, made to print its IPv6 ones (<c>saddr_v6</c>) for an IPv6
    /// socket too, when the hook has both.</summary>
    private static string BothFamilies(Site site, string printf)
    {
        if (!site.Has("family") || !printf.Contains("ntop(args->saddr)", StringComparison.Ordinal) && !printf.Contains("ntop(args->daddr)", StringComparison.Ordinal)
            || !site.Has("saddr_v6") || !site.Has("daddr_v6"))
        {
            return printf;
        }

        var v6 = printf.Replace("ntop(args->saddr)", "ntop(args->saddr_v6)", StringComparison.Ordinal).Replace("ntop(args->daddr)", "ntop(args->daddr_v6)", StringComparison.Ordinal);
        // AF_INET6 is 10.
        return $"if (args->family == 10) {{\n    {v6}\n  }} else {{\n    {printf}\n  }}";
    }

    /// <summary>Both ends of a connection (source then destination, each address and port) when the request asks for
    /// addresses and ports without saying which and the hook has both; else null.</summary>
    private static List<Term>? Endpoints(Site site, IReadOnlyList<IntentField> fields)
    {
        if (!fields.Any(f => f.Role == IntentRoles.Address && f.Qualifier is null) || !fields.Any(f => f.Role == IntentRoles.Port && f.Qualifier is null)
            || site.Format is not { } format || new[] { "saddr", "sport", "daddr", "dport" }.Select(format.FindField).ToList() is not [{ } saddr, { } sport, { } daddr, { } dport])
        {
            return null;
        }

        Term?[] terms = [Term.Of(saddr, "source"), Term.Of(sport, "source"), Term.Of(daddr, "destination"), Term.Of(dport, "destination")];
        return terms.Any(t => t is null) ? null : [.. terms.Select(t => t! with { Endpoint = true })];
    }

    /// <summary>Whether a field names who caused the event (the process, its PID, the sender) rather than what it did.</summary>
    private static bool IsIdentity(IntentField field) =>
        field.Role is IntentRoles.ProcessName or IntentRoles.Pid or IntentRoles.Tid && field.Qualifier is null or "sender" or "parent" or "caller";

    private static int Position(string request, string words)
    {
        var index = request.IndexOf(words, StringComparison.OrdinalIgnoreCase);
        return index < 0 ? int.MaxValue : index;
    }

    /// <summary>The fields that say what happened on a hook: a system call's paths (or its result, on return); a
    /// tracepoint's first few scalar fields.</summary>
    private static IEnumerable<Term> Salient(Site site)
    {
        if (site.Format is not { } format)
        {
            return [];
        }

        if (site.AttachPoint.Contains(":sys_exit", StringComparison.Ordinal))
        {
            return format.FindField("ret") is { } ret ? [Term.Of(ret)!] : [];
        }

        var paths = FieldRoles.Patterns(IntentRoles.Path, null, site.AttachPoint, format).Select(p => Term.Of(p, format)).OfType<Term>().ToList();
        if (paths.Count > 0 || site.AttachPoint.Contains(":sys_enter", StringComparison.Ordinal))
        {
            return paths;
        }

        return format.Fields.Where(f => !f.Name.StartsWith("__", StringComparison.Ordinal) && !f.IsPointer).Select(f => Term.Of(f)).OfType<Term>().Take(3);
    }

    private static readonly HashSet<string> Before = ["old", "source", "parent", "from", "local"];
    private static readonly HashSet<string> After = ["new", "destination", "child", "to", "remote"];

    /// <summary>A printf of the terms, a pair asked as "old … new" written <c>old -> new</c>, and a suffix (" ms").</summary>
    private static string Printf(IReadOnlyList<Term> terms, CompositionStyle style, string suffix, string? last = null)
    {
        var format = new StringBuilder();
        for (var i = 0; i < terms.Count; i++)
        {
            if (i > 0)
            {
                var (previous, current) = (terms[i - 1], terms[i]);
                format.Append(previous.Endpoint && current.Endpoint && previous.Qualifier == current.Qualifier ? ":"
                    : previous.Qualifier is { } q && Before.Contains(q) && current.Qualifier is { } r && After.Contains(r) ? " -> "
                    : " ");
            }

            format.Append(style.Padded ? terms[i].Expression switch { "comm" => "%-16s", "pid" or "tid" => "%-7d", _ => terms[i].Conversion } : terms[i].Conversion);
        }

        var arguments = terms.Select(t => t.Expression).ToList();
        if (last is not null)
        {
            format.Append(terms.Count > 0 ? " " : string.Empty).Append("%d").Append(suffix);
            arguments.Add(last);
        }

        return $"printf(\"{format.ToString().TrimEnd()}\\n\", {string.Join(", ", arguments)});";
    }

    // ---------------------------------------------------------------- aggregations

    private static ComposedProgram? Aggregate(IntentSpec spec, ComputationKind kind, IReadOnlyList<(IntentEvent Event, IReadOnlyList<Site> Sites)> chosen, CompositionStyle style)
    {
        var keys = KeysOf(spec);
        var probes = new List<(string AttachPoint, string Predicate, string Body, string Event)>();
        var maps = new List<string>();
        foreach (var (intentEvent, sites) in chosen)
        {
            var map = "@" + Noun(intentEvent.Name) + kind switch
            {
                ComputationKind.Sum => "_total",
                ComputationKind.Histogram or ComputationKind.LinearHistogram => "_dist",
                ComputationKind.Average => "_avg",
                ComputationKind.Minimum => "_min",
                ComputationKind.Maximum => "_max",
                ComputationKind.Stats => "_stats",
                _ => string.Empty,
            };
            foreach (var site in sites)
            {
                var asked = spec.Value ?? OfflineIntentReader.SizeOf(spec.Request);
                var value = NeedsValue(kind) ? (asked is { } v ? site.Resolve(v.Role, v.Qualifier) : site.Resolve(IntentRoles.Size, null)) : null;
                if (NeedsValue(kind) && value is null)
                {
                    return null;
                }

                if (KeyTerms(site, keys) is not { } keyTerms || Predicate(site, spec, value?.Expression) is not { } predicate)
                {
                    return null;
                }

                var call = Call(kind, value?.Expression, spec.Computation);
                var key = keyTerms.Count == 0 ? string.Empty : $"[{string.Join(", ", keyTerms)}]";
                probes.Add((site.AttachPoint, predicate, $"{map}{key} = {call};", intentEvent.Name));
            }

            maps.Add(map);
        }

        var trailer = new List<string>();
        if (spec.Period is { } period)
        {
            trailer.Add($"interval:s:{period.Seconds}\n{{\n{string.Concat(maps.Select(m => $"  print({m});\n  clear({m});\n"))}}}");
        }

        if (spec.Computation?.Top is { } top)
        {
            trailer.Add($"END\n{{\n{string.Concat(maps.Select(m => $"  print({m}, {top});\n  clear({m});\n"))}}}");
        }

        var verb = kind switch
        {
            ComputationKind.Count => "counts",
            ComputationKind.Sum => "sums",
            ComputationKind.Histogram or ComputationKind.LinearHistogram => "shows the distribution of",
            _ => IntentNames.Of(kind),
        };
        return Program(spec, chosen, probes, trailer, style, verb, keys.Count == 0 ? null : string.Join(", ", keys.Select(k => IntentRoles.Describe(k.Role, k.Qualifier))));
    }

    private static string Call(ComputationKind kind, string? value, IntentComputation? computation) => kind switch
    {
        ComputationKind.Sum => $"sum({value})",
        ComputationKind.Histogram => $"hist({value})",
        ComputationKind.LinearHistogram => Linear(value!, computation),
        ComputationKind.Average => $"avg({value})",
        ComputationKind.Minimum => $"min({value})",
        ComputationKind.Maximum => $"max({value})",
        ComputationKind.Stats => $"stats({value})",
        _ => "count()",
    };

    /// <summary><c>lhist</c> over the asked range (0 to 100 when none is asked), in at most 20 steps.</summary>
    private static string Linear(string value, IntentComputation? computation)
    {
        var low = computation?.Low ?? 0;
        var high = computation?.High is { } h && h > low ? h : low + 100;
        var step = Math.Max(1, (high - low) / 20);
        return string.Create(CultureInfo.InvariantCulture, $"lhist({value}, {low}, {high}, {step})");
    }

    // ---------------------------------------------------------------- latency

    private static ComposedProgram? Latency(IntentSpec spec, IntentEvent start, IReadOnlyList<Site> starts, IReadOnlyList<Site> ends, CompositionStyle style)
    {
        var computation = spec.Computation!;
        var across = computation.Across;
        // No shape asked: "time spent" is a total; any other latency is shown as a histogram.
        var shape = computation.Shape is { } s && s != ComputationKind.Count ? s
            : computation.Shape is null && TimeSpent().IsMatch(spec.Request) ? ComputationKind.Sum
            : ComputationKind.Histogram;
        var unit = spec.Unit?.Unit is "ns" or "us" or "ms" or "s" ? spec.Unit.Unit : "ns";
        var divisor = unit switch { "us" => "1000", "ms" => "1000000", "s" => "1000000000", _ => null };
        var name = "@" + Noun(start.Name) + "_" + unit;
        var keys = spec.Keys;

        string Answer(Site end, string endKey)
        {
            var delta = $"(nsecs - @start[{endKey}])" + (divisor is null ? string.Empty : $" / {divisor}");
            if (shape == ComputationKind.Print)
            {
                var terms = PrintTerms(end, spec, withSalient: false);
                return Printf(terms, style, " " + unit, delta);
            }

            var keyTerms = KeyTerms(end, keys) ?? [];
            var key = keyTerms.Count == 0 ? string.Empty : $"[{string.Join(", ", keyTerms)}]";
            return $"{name}{key} = {Call(shape, delta, computation)};";
        }

        var probes = new List<(string AttachPoint, string Predicate, string Body, string Event)>();
        if (starts.Count == 1 && ends.Count == 1 && starts[0].AttachPoint == ends[0].AttachPoint)
        {
            // One hook is both ends (a CPU's run slice from one switch to the next): read the start, then restart it.
            var site = starts[0];
            if (KeyFor(across, site, start: true) is not { } startKey || KeyFor(across, site, start: false) is not { } endKey)
            {
                return null;
            }

            var delete = startKey == endKey ? string.Empty : $" delete(@start[{endKey}]);";
            if (KeyTerms(site, keys) is null || Predicate(site, spec, null) is not { } predicate)
            {
                return null;
            }

            probes.Add((site.AttachPoint, predicate, $"if (@start[{endKey}]) {{ {Answer(site, endKey)}{delete} }}\n  @start[{startKey}] = nsecs;", "start and end"));
        }
        else
        {
            foreach (var site in starts)
            {
                if (KeyFor(across, site, start: true) is not { } key)
                {
                    return null;
                }

                var startFilters = spec with { Filters = [.. spec.Filters.Where(f => f.Kind is FilterKind.ProcessName or FilterKind.Pid)] };
                probes.Add((site.AttachPoint, Predicate(site, startFilters, null) ?? string.Empty, $"@start[{key}] = nsecs;", "start"));
            }

            foreach (var site in ends)
            {
                if (KeyFor(across, site, start: false) is not { } key)
                {
                    return null;
                }

                if (KeyTerms(site, keys) is null
                    || Predicate(site, spec with { Filters = [.. spec.Filters.Where(f => f.Kind is not (FilterKind.ProcessName or FilterKind.Pid))] }, null) is not { } predicate)
                {
                    return null;
                }

                predicate = predicate.Length == 0 ? $"@start[{key}]" : $"@start[{key}] && {predicate}";
                probes.Add((site.AttachPoint, predicate, $"{Answer(site, key)}\n  delete(@start[{key}]);", "end"));
            }
        }

        var shown = shape == ComputationKind.Print ? "prints" : $"shows as {IntentNames.Of(shape)}";
        return Program(spec, [(start, starts), (spec.Events.First(e => e.Role == EventRole.End), ends)], probes, ["END\n{\n  clear(@start);\n}"], style,
            $"times in {unit} and {shown}", across is null or "same" ? null : $"the same {across}");
    }

    /// <summary>What identifies the measured thing at one end: the thread of a call; the block request (device and
    /// sector); the woken task (its PID, and the switched-in task at the switch); the CPU; the forked child until it exits.</summary>
    private static string? KeyFor(string? across, Site site, bool start)
    {
        var isSwitch = site.AttachPoint.EndsWith(":sched_switch", StringComparison.Ordinal);
        return across switch
        {
            "request" => site.Has("dev") && site.Has("sector") ? "args->dev, args->sector" : site.Has("sector") ? "args->sector" : null,
            "task" => isSwitch ? (start ? "args->prev_pid" : "args->next_pid") : site.Has("pid") ? "args->pid" : "tid",
            "cpu" => "cpu",
            "process" => site.AttachPoint.EndsWith(":sched_process_fork", StringComparison.Ordinal) ? "args->child_pid" : site.Has("pid") ? "args->pid" : "pid",
            _ => site.IsTracepoint || site.AttachPoint.StartsWith("k", StringComparison.Ordinal) ? "tid" : null,
        };
    }

    // ---------------------------------------------------------------- common

    /// <summary>The hook's own condition and every filter, joined with <c>&amp;&amp;</c>; null when the hook cannot state
    /// one of the filters (a program without it would not do what was asked, so it is not composed).</summary>
    internal static string? Predicate(Site site, IntentSpec spec, string? value)
    {
        var conditions = new List<string>();
        if (site.Condition is { } condition)
        {
            conditions.Add(condition);
        }

        foreach (var filter in spec.Filters)
        {
            if (FilterConditions.For(filter, site.AttachPoint, site.Format, value) is not { } stated)
            {
                return null;
            }

            conditions.Add(stated);
        }

        return string.Join(" && ", conditions.Distinct().Select(c => c.Contains("||", StringComparison.Ordinal) ? $"({c})" : c));
    }

    /// <summary>Each key's expression on a hook, or null when one of them has none there.</summary>
    internal static List<string>? KeyTerms(Site site, IReadOnlyList<IntentKey> keys)
    {
        var terms = keys.Select(k => site.Resolve(k.Role, k.Qualifier)).ToList();
        return terms.Any(t => t is null) ? null : [.. terms.Select(t => t!.Expression).Distinct()];
    }

    /// <summary>The program text: probes of one event with the same predicate and body share one probe (two events never
    /// do: each must be seen on its own hooks), then the trailing probes.</summary>
    private static ComposedProgram Program(IntentSpec spec, IReadOnlyList<(IntentEvent Event, IReadOnlyList<Site> Sites)> chosen,
        List<(string AttachPoint, string Predicate, string Body, string Event)> probes, List<string> trailer, CompositionStyle style, string verb, string? by = null)
    {
        var text = new StringBuilder();
        if (style.Header)
        {
            text.Append("BEGIN\n{\n  printf(\"Tracing ").Append(string.Join(" and ", chosen.Select(c => c.Event.Name).Distinct())).Append("... Hit Ctrl-C to end.\\n\");\n}\n\n");
        }

        foreach (var group in probes.GroupBy(p => (p.Event, p.Predicate, p.Body)))
        {
            text.Append(string.Join(",\n", group.Select(p => p.AttachPoint).Distinct()));
            text.Append('\n');
            if (group.Key.Predicate.Length > 0)
            {
                text.Append('/').Append(group.Key.Predicate).Append("/\n");
            }

            text.Append("{\n  ").Append(group.Key.Body).Append("\n}\n\n");
        }

        foreach (var probe in trailer)
        {
            text.Append(probe).Append("\n\n");
        }

        var hooks = string.Join(", ", chosen.SelectMany(c => c.Sites).Select(s => s.AttachPoint).Distinct());
        var events = string.Join(" and ", chosen.Select(c => c.Event.Name).Distinct());
        var summary = $"{verb} {events} on {hooks}" + (by is null ? string.Empty : $" by {by}")
            + (spec.Filters.IsEmpty ? string.Empty : $", only {string.Join(", ", spec.Filters.Select(f => IntentNames.Of(f.Kind) + (f.Value is null ? string.Empty : " " + f.Value)))}");
        return new ComposedProgram(text.ToString().TrimEnd() + "\n", summary);
    }

    /// <summary>A map name from an event's name: "file open" → <c>file_open</c>.</summary>
    internal static string Noun(string eventName)
    {
        var noun = new string([.. eventName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]).Trim('_');
        return noun.Length == 0 || !char.IsAsciiLetter(noun[0]) ? "events" : noun;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\btime\s+spent\b|\btotal\s+time\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex TimeSpent();
}
