using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Intent;

/// <summary>The deterministic intent producer: reads an English request with its own vocabulary
/// (<see cref="IntentVocabulary"/> for events, patterns here for computations, keys, fields, filters, units and
/// periods) and keeps only the hooks this kernel's catalog has. It says "don't know" rather than guess: an item it does
/// not recognise is not in the specification (and so not an obligation); phrases it recognises but cannot check are
/// listed in <see cref="IntentSpec.NotUnderstood"/>.</summary>
public sealed partial class OfflineIntentReader : IIntentProducer
{
    public const string Name = "offline intent reader";

    public Task<IntentReading> ReadAsync(string request, ProbeCatalog? catalog, CancellationToken cancellation = default) =>
        Task.FromResult(IntentReading.Of(Read(request, catalog)));

    public static IntentSpec Read(string request, ProbeCatalog? catalog)
    {
        var text = Normalize(request);
        var computation = Computation(text);
        var events = Events(text, computation, catalog);
        if (computation is { Kind: ComputationKind.Latency })
        {
            // What both ends must agree on: the thread of a call, the process from fork to exit, the woken task, the block
            // request, the CPU between two switches. A duration whose two ends Kgent cannot name is not checked as a latency.
            computation = computation with { Across = events.Count(e => e.Role != EventRole.Main) < 2 ? null : Across(events, text) };
        }

        var filters = Filters(text);
        var value = Value(text, computation);
        var shape = computation is { Kind: ComputationKind.Latency } ? computation.Shape : computation?.Kind;
        var keys = computation is null || shape is ComputationKind.Print ? [] : Keys(text, events);
        // Fields are asked of printed lines; with no computation understood they are still checked (on an aggregation: its key).
        var fields = shape is ComputationKind.Print ? Fields(text, keys)
            : computation is null ? [.. Fields(text, keys).Where(f => f.Role != IntentRoles.Size)]
            : [];
        var unit = Unit(text);
        var period = Period(text);
        var phaseEvents = Phase(events, filters, fields, value);
        return new IntentSpec(request, [.. phaseEvents], computation, [.. keys], [.. filters], [.. fields], value, unit, period, [.. NotUnderstood(text)], Name);
    }

    /// <summary>Lower case, one space, <c>read()</c> as <c>read</c>, typographic quotes as plain ones.</summary>
    internal static string Normalize(string request) =>
        Whitespace().Replace(request.ToLowerInvariant().Replace("()", string.Empty, StringComparison.Ordinal)
            .Replace('’', '\'').Replace('“', '"').Replace('”', '"').Replace("µs", "microseconds", StringComparison.Ordinal), " ").Trim();

    // ---------------------------------------------------------------- events

    private static List<IntentEvent> Events(string text, IntentComputation? computation, ProbeCatalog? catalog)
    {
        // Words in parentheses explain ("shut sockets down, and how (read, write or both)"); they name no event. Blanked,
        // not removed, so the other words keep their positions.
        var eventText = Parenthesized().Replace(text, m => new string(' ', m.Length));

        // "opened for writing" is a filter on the open, not a write.
        eventText = ForWriting().Replace(eventText, m => new string(' ', m.Length));
        var found = new List<(EventSense Sense, Match Match)>();
        foreach (var sense in IntentVocabulary.Events)
        {
            var match = sense.Words.Match(eventText);
            if (match.Success)
            {
                found.Add((sense, match));
            }
        }

        // Overlapping matches: the more specific sense (higher priority, then the longer words) wins.
        var kept = new List<(EventSense Sense, Match Match)>();
        foreach (var candidate in found.OrderByDescending(f => f.Sense.Priority).ThenByDescending(f => f.Match.Length))
        {
            if (!kept.Any(k => Overlaps(k.Match, candidate.Match) || SameFamily(k.Sense, candidate.Sense)))
            {
                kept.Add(candidate);
            }
        }

        // "read syscall latency": the system call named is the event, not every system call; and in a request about TCP
        // sessions "close" is a state, not close(2).
        if (kept.Any(k => k.Sense.Name != "system call" && k.Sense.Entry.Any(h => h.AttachPoint.StartsWith("tracepoint:syscalls:", StringComparison.Ordinal))))
        {
            kept.RemoveAll(k => k.Sense.Name == "system call");
        }

        if (kept.Any(k => k.Sense.Name == "CPU sampling"))
        {
            // "sample which processes are on CPU": a sampling request; "on CPU" is what is sampled, not a context switch.
            kept.RemoveAll(k => k.Sense.Name == "context switch");
        }

        if (kept.Any(k => k.Sense.Name == "OOM kill"))
        {
            // "each process the OOM killer kills": the kill is the OOM kill, not a signal.
            kept.RemoveAll(k => k.Sense.Name == "signal");
        }

        if (TcpContext().IsMatch(text))
        {
            kept.RemoveAll(k => k.Sense.Name == "close");
        }

        // "Trace sync() syscall", "mount and umount syscalls": the calls named, not every system call.
        if (catalog is not null && kept.Any(k => k.Sense.Name == "system call") && NamedSyscalls(text, catalog) is { Count: > 0 } named)
        {
            kept.RemoveAll(k => k.Sense.Name == "system call");
            return [.. named];
        }

        kept = [.. kept.OrderBy(k => k.Match.Index)];
        IntentEvent Make((EventSense Sense, Match Match) k, EventRole role, bool? exit = null) =>
            new(k.Sense.Name, k.Match.Value, [.. Available(exit switch { true => k.Sense.Exit, false => k.Sense.Entry, null => [.. k.Sense.Entry, .. k.Sense.Exit] }, catalog)], role);

        if (computation is { Kind: ComputationKind.Latency })
        {
            if (kept.Count >= 2)
            {
                var (start, end) = Ends(text, kept);
                return [Make(start, EventRole.Start), Make(end, EventRole.End)];
            }

            if (kept.Count == 1 && kept[0].Sense.Name == "context switch")
            {
                // "how long tasks run on a CPU before being switched out": from one switch to the next, on the same CPU.
                return [Make(kept[0], EventRole.Start), Make(kept[0], EventRole.End)];
            }

            if (kept.Count == 1 && (EntryToReturn().IsMatch(text) || !FromEvent().IsMatch(text)) && kept[0].Sense.Entry.Any(h => h.AttachPoint.Contains(":sys_enter_", StringComparison.Ordinal)))
            {
                // "time each read() call from entry to return", "read() latency", "time spent in nanosleep": one call, its two ends.
                return [Make(kept[0], EventRole.Start, exit: false), Make(kept[0], EventRole.End, exit: true)];
            }

            if (kept.Count == 1 && FromEvent().Match(text) is { Success: true } from && Overlaps(from, kept[0].Match))
            {
                // "from wakeup to running" with only the start understood: the start is checked, the end is not known.
                return [Make(kept[0], EventRole.Start)];
            }
        }

        // The events the request is about: usually one; a request that names several ("opens and closes") keeps them all.
        return [.. kept.Select(k => Make(k, EventRole.Main)).Where(e => !e.Hooks.IsEmpty)];
    }

    /// <summary>System calls the request names before "syscall(s)" ("sync syscall", "mount and umount syscalls") that this
    /// kernel has (<c>umount</c> is <c>umount2</c>), each as an event on its entry and return.</summary>
    private static List<IntentEvent> NamedSyscalls(string text, ProbeCatalog catalog)
    {
        var events = new List<IntentEvent>();
        foreach (Match match in SyscallNames().Matches(text))
        {
            foreach (var group in new[] { match.Groups["a"], match.Groups["b"] }.Where(g => g.Success))
            {
                var call = new[] { group.Value, group.Value + "2" }.FirstOrDefault(c => catalog.FindTracepoint("syscalls", "sys_enter_" + c) is not null);
                if (call is not null && events.TrueForAll(e => e.Name != call))
                {
                    IntentHook[] hooks = [new($"tracepoint:syscalls:sys_enter_{call}"), new($"tracepoint:syscalls:sys_exit_{call}")];
                    events.Add(new IntentEvent(call, group.Value, [.. hooks.Where(h => Exists(h.AttachPoint, catalog))]));
                }
            }
        }

        return events;
    }

    private static string? Across(List<IntentEvent> events, string text)
    {
        var start = events.FirstOrDefault(e => e.Role == EventRole.Start)?.Name;
        var end = events.FirstOrDefault(e => e.Role == EventRole.End)?.Name;
        return (start, end) switch
        {
            ("process creation", "process exit") => "process",
            ("wakeup", "context switch") => "task",
            ("context switch", "context switch") => OffCpu().IsMatch(text) ? "task" : "cpu",
            (_, "block request completion") => "request",
            _ when start == end => "thread",
            _ => null,
        };
    }

    /// <summary>Which of two events starts the latency: the one after "from" or "between", else the first named.</summary>
    private static ((EventSense, Match) Start, (EventSense, Match) End) Ends(string text, List<(EventSense Sense, Match Match)> events)
    {
        var ordered = events.OrderBy(e => e.Match.Index).ToList();
        var from = FromWord().Match(text);
        if (from.Success)
        {
            var first = ordered.Where(e => e.Match.Index >= from.Index).ToList();
            if (first.Count >= 2)
            {
                return (first[0], first[1]);
            }
        }

        // "the delay between a task being woken and it getting the CPU", "how long requests take to finish once handed to
        // the device": a completion is the end, whatever order the words come in.
        var end = ordered.FirstOrDefault(e => e.Sense.Name is "block request completion" or "process exit" or "context switch");
        if (end.Sense is not null && ordered.Count >= 2)
        {
            var start = ordered.First(e => !ReferenceEquals(e.Sense, end.Sense));
            return (start, end);
        }

        return (ordered[0], ordered[1]);
    }

    private static bool Overlaps(Match a, Match b) => a.Index < b.Index + b.Length && b.Index < a.Index + a.Length;

    private static bool SameFamily(EventSense a, EventSense b) =>
        a.Name.EndsWith("page fault", StringComparison.Ordinal) && b.Name.EndsWith("page fault", StringComparison.Ordinal)
        || (a.Name.StartsWith("block", StringComparison.Ordinal) || a.Name == "bio submission") && (b.Name.StartsWith("block", StringComparison.Ordinal) || b.Name == "bio submission")
            && a.Name != "block request completion" && b.Name != "block request completion";

    private static IEnumerable<IntentHook> Available(IEnumerable<IntentHook> hooks, ProbeCatalog? catalog) =>
        hooks.DistinctBy(h => (h.AttachPoint, h.Condition)).Where(h => catalog is null || Exists(h.AttachPoint, catalog));

    private static bool Exists(string attachPoint, ProbeCatalog catalog)
    {
        var parts = attachPoint.Split(':');
        return parts[0] switch
        {
            "tracepoint" => parts.Length == 3 && catalog.FindTracepoint(parts[1], parts[2]) is not null,
            // A kernel function is acceptable where the kernel has it; whether this host can attach it is the checker's
            // business. On a host that cannot attach kprobes at all it is listed unchecked (no program on it loads here,
            // and looking it up would read the whole BTF for every request).
            "kprobe" or "kretprobe" => parts.Length == 2 && (!catalog.Host.CanAttach(Probes.ProbeType.Kprobe) || catalog.FindKernelFunction(parts[1]) is not null),
            _ => true,
        };
    }

    /// <summary>Restricts each event to the hooks that can see what is asked: a failure, an error number or a returned
    /// value needs the call's return; a path, flags or a size passed needs its arguments.</summary>
    private static IEnumerable<IntentEvent> Phase(List<IntentEvent> events, List<IntentFilter> filters, List<IntentField> fields, IntentValue? value)
    {
        var needsResult = filters.Any(f => f.Kind is FilterKind.Failure or FilterKind.Success) || fields.Any(f => f.Role == IntentRoles.Error || f.Qualifier == "returned")
            || value is { Qualifier: "returned" };
        var needsArguments = fields.Any(f => f.Role is IntentRoles.Path or IntentRoles.Size or IntentRoles.Signal or IntentRoles.Address)
            || filters.Any(f => f.Kind == FilterKind.ForWriting) || value is { Qualifier: "requested" };
        foreach (var e in events)
        {
            if (e.Role != EventRole.Main || needsResult == needsArguments)
            {
                yield return e;
                continue;
            }

            var calls = e.Hooks.Where(h => h.AttachPoint.Contains(":sys_enter", StringComparison.Ordinal) || h.AttachPoint.Contains(":sys_exit", StringComparison.Ordinal)).ToList();
            if (calls.Count == 0)
            {
                yield return e;
                continue;
            }

            var keep = e.Hooks.Where(h => needsResult
                ? !h.AttachPoint.Contains(":sys_enter", StringComparison.Ordinal) && !h.AttachPoint.StartsWith("kprobe:", StringComparison.Ordinal)
                : !h.AttachPoint.Contains(":sys_exit", StringComparison.Ordinal) && !h.AttachPoint.StartsWith("kretprobe:", StringComparison.Ordinal));
            yield return e with { Hooks = [.. keep] };
        }
    }

    // ---------------------------------------------------------------- computation

    private static IntentComputation? Computation(string text)
    {
        var shape = Shape(text);
        if (Latency().Match(text) is { Success: true } latency)
        {
            // A latency with no shape named ("measure how long tasks stay off the CPU") may be printed or aggregated.
            return new IntentComputation(ComputationKind.Latency, latency.Value, shape?.Kind, Across: "same");
        }

        return shape;
    }

    private static IntentComputation? Shape(string text)
    {
        if (LinearHistogram().Match(text) is { Success: true } linear)
        {
            var range = Range().Match(text);
            return new IntentComputation(ComputationKind.LinearHistogram, linear.Value,
                Low: range.Success ? long.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture) : null,
                High: range.Success ? long.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture) : null);
        }

        (Regex Pattern, ComputationKind Kind)[] kinds =
        [
            (Histogram(), ComputationKind.Histogram),
            (Sum(), ComputationKind.Sum),
            (Average(), ComputationKind.Average),
            (Maximum(), ComputationKind.Maximum),
            (Minimum(), ComputationKind.Minimum),
            (Count(), ComputationKind.Count),
            (Print(), ComputationKind.Print),
        ];
        foreach (var (pattern, kind) in kinds)
        {
            if (pattern.Match(text) is not { Success: true } match)
            {
                continue;
            }

            var top = Top().Match(text);
            var found = new IntentComputation(kind, match.Value, Top: top.Success ? int.Parse(top.Groups[1].Value, CultureInfo.InvariantCulture) : null);
            switch (kind)
            {
                // "the running total of syscalls": a total of events is their count; a total of bytes is a sum.
                case ComputationKind.Sum when TotalWord().IsMatch(match.Value) && !SizeValue().IsMatch(text) && !TimeValue().IsMatch(text):
                    return found with { Kind = ComputationKind.Count };

                // "count file descriptors watched per select() call": a quantity per call, not a number of events.
                case ComputationKind.Count when PerCall().IsMatch(text):
                    return null;

                // "show", "trace", "report" say nothing about the shape when the request also breaks results down
                // ("show timer expirations per process"): Kgent does not know whether to print or aggregate.
                case ComputationKind.Print when !StrongPrint().IsMatch(text) && (Breakdown().IsMatch(text) || !PerEvent().IsMatch(text)):
                    return null;
            }

            return found;
        }

        return null;
    }

    // ---------------------------------------------------------------- keys and fields

    private static List<IntentKey> Keys(string text, List<IntentEvent> events)
    {
        var keys = new List<IntentKey>();
        foreach (Match clause in KeyClause().Matches(text))
        {
            var phrase = clause.Groups["what"].Value;
            if (PluralBefore(phrase))
            {
                // "which open flags processes use": the key is the first noun ("flags"), which Kgent has no role for.
                continue;
            }

            if (Role(phrase, events) is { } role)
            {
                keys.Add(new IntentKey(role.Role, clause.Value.Trim(), role.Qualifier));
            }
        }

        // "which tasks … per woken task name": the qualified key says more than the plain one.
        return [.. keys.DistinctBy(k => (k.Role, k.Qualifier)).Where(k => k.Qualifier is not null || !keys.Any(q => q.Role == k.Role && q.Qualifier is not null))];
    }

    /// <summary>True when a word before the phrase's last one is a plural noun ("open flags processes").</summary>
    private static bool PluralBefore(string phrase)
    {
        var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 1 && words[..^1].Any(w => w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("'s", StringComparison.Ordinal)
            && w is not ("process" or "its" or "this" or "their" or "address" or "status" or "bus"));
    }

    private static List<IntentField> Fields(string text, List<IntentKey> keys)
    {
        var fields = new List<IntentField>();
        var taken = new List<(int Start, int End)>();
        foreach (var (pattern, role, qualifier) in FieldPatterns)
        {
            foreach (Match match in pattern.Matches(text))
            {
                if (taken.Any(t => t.Start < match.Index + match.Length && match.Index < t.End))
                {
                    continue;
                }

                taken.Add((match.Index, match.Index + match.Length));
                fields.Add(new IntentField(role, match.Value, qualifier));
            }
        }

        return [.. fields.DistinctBy(f => (f.Role, f.Qualifier)).Where(f => !keys.Any(k => k.Role == f.Role))];
    }

    /// <summary>The role a noun phrase names ("process name", "the woken task name", "syscall number").</summary>
    private static (string Role, string? Qualifier)? Role(string phrase, List<IntentEvent> events)
    {
        var qualifier = Qualifier().Match(phrase) is { Success: true } q ? QualifierOf(q.Value) : null;
        var exec = events.Any(e => e.Name == "program start");
        foreach (var (pattern, role) in KeyRoles)
        {
            if (pattern.IsMatch(phrase))
            {
                return (role == IntentRoles.ProcessName && exec && ExecutableName().IsMatch(phrase) ? IntentRoles.Executable : role, qualifier);
            }
        }

        return null;
    }

    /// <summary>Whether the request has words for a role anywhere ("error code", "by program"); null when Kgent has no words for it.</summary>
    internal static bool? Mentions(string role, string request)
    {
        var patterns = KeyRoles.Where(k => k.Role == role).Select(k => k.Pattern).ToList();
        if (patterns.Count == 0)
        {
            return null;
        }

        var text = Normalize(request);
        return patterns.Any(p => p.IsMatch(text)) || role == IntentRoles.Error && Failure().IsMatch(text) && ErrorWord().IsMatch(text);
    }

    private static string? QualifierOf(string word) => word switch
    {
        "woken" or "wakee" => "woken",
        "parent" => "parent",
        "child" or "new child" => "child",
        "target" or "targeted" => "target",
        "destination" or "remote" or "dest" => "destination",
        "local" or "source" => "local",
        "old" => "old",
        "new" => "new",
        "next" => "next",
        _ => null,
    };

    private static readonly (Regex Pattern, string Role)[] KeyRoles =
    [
        (new(@"syscall\s+(?:number|id)|system\s+call\s+(?:number|id)|syscall\s+ids?|\bsyscall\b", RegexOptions.CultureInvariant), IntentRoles.Syscall),
        (new(@"\b(?:process\s+id|pids?)\b", RegexOptions.CultureInvariant), IntentRoles.Pid),
        (new(@"\b(?:thread\s+id|tids?|threads?)\b", RegexOptions.CultureInvariant), IntentRoles.Tid),
        (new(@"\bcpus?\b|\bcpu\s+numbers?\b|\bcores?\b", RegexOptions.CultureInvariant), IntentRoles.Cpu),
        (new(@"(?:drop\s+)?reasons?(?:\s+codes?)?", RegexOptions.CultureInvariant), IntentRoles.Reason),
        (new(@"rwbs|operation\s+types?|(?:i/?o\s+)?types?\b|kinds?\b", RegexOptions.CultureInvariant), IntentRoles.OperationType),
        (new(@"\bdevices?\b|\bdisks?\b|\binterfaces?\b|\bnics?\b", RegexOptions.CultureInvariant), IntentRoles.Device),
        (new(@"\bsignals?(?:\s+numbers?)?\b", RegexOptions.CultureInvariant), IntentRoles.Signal),
        (new(@"\bports?\b", RegexOptions.CultureInvariant), IntentRoles.Port),
        (new(@"\b(?:users?|uids?)\b", RegexOptions.CultureInvariant), IntentRoles.User),
        (new(@"\borders?\b", RegexOptions.CultureInvariant), IntentRoles.Order),
        (new(@"\bfile\s+descriptors?\b|\bfds?\b", RegexOptions.CultureInvariant), IntentRoles.FileDescriptor),
        (new(@"\bkernel\s+functions?\b|\bfunctions?\s+that\b|\bcall(?:ing)?\s+sites?\b", RegexOptions.CultureInvariant), IntentRoles.Function),
        (new(@"\b(?:files?|paths?|filenames?|file\s+names?)\b", RegexOptions.CultureInvariant), IntentRoles.Path),
        (new(@"\berror(?:s|\s+codes?|\s+numbers?)?\b|\berrno\b", RegexOptions.CultureInvariant), IntentRoles.Error),
        (new(@"names?\b|commands?\b|comm\b|programs?\b|executables?\b|process(?:es)?\b|tasks?\b|applications?\b|binar(?:y|ies)\b", RegexOptions.CultureInvariant), IntentRoles.ProcessName),
    ];

    /// <summary>Fields a printing request asks to show, most specific first.</summary>
    private static readonly (Regex Pattern, string Role, string? Qualifier)[] FieldPatterns =
    [
        (new(@"\bold(?=\s+and\s+(?:the\s+)?new\s+(?:path|name)s?\b)", RegexOptions.CultureInvariant), IntentRoles.Path, "old"),
        (new(@"old\s+(?:path|name)", RegexOptions.CultureInvariant), IntentRoles.Path, "old"),
        (new(@"new\s+(?:path|name)", RegexOptions.CultureInvariant), IntentRoles.Path, "new"),
        (new(@"old\s+state", RegexOptions.CultureInvariant), IntentRoles.State, "old"),
        (new(@"new\s+state", RegexOptions.CultureInvariant), IntentRoles.State, "new"),
        (new(@"\b(?:tcp\s+)?state\b(?!\s+(?:transitions?|changes?|machine|numbers?))", RegexOptions.CultureInvariant), IntentRoles.State, null),
        (new(@"parent(?:'s)?\s+(?:pid|process\s+id)", RegexOptions.CultureInvariant), IntentRoles.Pid, "parent"),
        (new(@"child(?:'s)?\s+(?:pid|process\s+id)", RegexOptions.CultureInvariant), IntentRoles.Pid, "child"),
        (new(@"target(?:'s)?\s+(?:pid|process\s+id|process)\b(?!\s+name)|(?<=\b(?:target|victim)(?:'s)?\s+(?:name|comm)\s+and\s+(?:its\s+)?)(?:pid|process\s+id)", RegexOptions.CultureInvariant), IntentRoles.Pid, "target"),
        (new(@"(?:target|victim)(?:'s)?\s+(?:process\s+)?(?:name|comm)", RegexOptions.CultureInvariant), IntentRoles.ProcessName, "target"),
        (new(@"destination\s+ports?(?:\s+numbers?)?|remote\s+ports?", RegexOptions.CultureInvariant), IntentRoles.Port, "destination"),
        (new(@"local\s+ports?|source\s+ports?|ports?\s+(?:they|it)\s+listens?\s+on", RegexOptions.CultureInvariant), IntentRoles.Port, "local"),
        (new(@"file\s+descriptors?\s+returned|returned\s+file\s+descriptors?|new\s+file\s+descriptors?", RegexOptions.CultureInvariant), IntentRoles.FileDescriptor, "returned"),
        (new(@"error\s+(?:number|code)s?|\berrno\b", RegexOptions.CultureInvariant), IntentRoles.Error, null),
        (new(@"exit\s+(?:status|code)", RegexOptions.CultureInvariant), IntentRoles.ExitStatus, null),
        (new(@"signal\s+numbers?|which\s+signal|the\s+signal\b", RegexOptions.CultureInvariant), IntentRoles.Signal, null),
        (new(@"\b(?:process\s+id|pid)s?\b", RegexOptions.CultureInvariant), IntentRoles.Pid, null),
        (new(@"(?:the\s+)?path(?:s)?\b|file\s*names?|names?\s+of\s+(?:every|each|the)\s+files?|director(?:y|ies)(?!\s+creation)|which\s+files", RegexOptions.CultureInvariant), IntentRoles.Path, null),
        (new(@"\blengths?\b|\bsizes?\b|\bbytes\b|how\s+many\s+bytes", RegexOptions.CultureInvariant), IntentRoles.Size, null),
        (new(@"\baddress(?:es)?\b", RegexOptions.CultureInvariant), IntentRoles.Address, null),
        (new(@"(?<=\bdestination\s+address(?:es)?\s+and\s+(?:the\s+)?)ports?\b", RegexOptions.CultureInvariant), IntentRoles.Port, "destination"),
        (new(@"(?<=\baddress(?:es)?\s+and\s+(?:the\s+)?)ports?\b", RegexOptions.CultureInvariant), IntentRoles.Port, null),
        (new(@"(?:process|command|program|task)(?:'s)?\s+names?|sender(?:'s)?\s+names?|names?\s+of\s+the\s+(?:process|command)|(?<!chang\w*\s+)their\s+names?|(?:the\s+)?command\s+that|(?:the\s+)?process\s+(?:that|making|naming)|naming\s+the\s+process|which\s+process|the\s+process\b|\bper\s+(?:process|program|command)\b(?!\s+(?:id|name))|(?:the|its|their|which)\s+command\b|\bcomm\b",
            RegexOptions.CultureInvariant), IntentRoles.ProcessName, null),
    ];

    // ---------------------------------------------------------------- filters, value, unit, period

    private static List<IntentFilter> Filters(string text)
    {
        var filters = new List<IntentFilter>();
        var failure = Failure().Match(text);
        var success = Success().Match(text);
        if (failure.Success && success.Success)
        {
            // "successful versus failed opens": both outcomes are asked for; the request breaks results down, it does not filter.
        }
        else if (failure.Success)
        {
            filters.Add(new IntentFilter(FilterKind.Failure, failure.Value));
        }
        else if (success.Success)
        {
            filters.Add(new IntentFilter(FilterKind.Success, success.Value));
        }

        var subject = SubjectName().Match(text);
        if (!Named().IsMatch(text) && subject.Success && !NotAName.Contains(subject.Groups["name"].Value))
        {
            // "the files that bash opens": a name as the subject of what the event does.
            filters.Add(new IntentFilter(FilterKind.ProcessName, subject.Value, subject.Groups["name"].Value));
        }
        else if (Named().Match(text) is { Success: true } named)
        {
            // "the process named cat." : the sentence's full stop is not part of the name.
            var name = named.Groups["name"].Value.TrimEnd('.');
            filters.Add(new IntentFilter(FilterKind.ProcessName, named.Value.TrimEnd('.'), name));
        }

        if (PidFilter().Match(text) is { Success: true } pid)
        {
            filters.Add(new IntentFilter(FilterKind.Pid, pid.Value, pid.Groups["pid"].Value));
        }

        if (ForWriting().Match(text) is { Success: true } writing)
        {
            filters.Add(new IntentFilter(FilterKind.ForWriting, writing.Value));
        }

        if (PortFilter().Match(text) is { Success: true } port)
        {
            filters.Add(new IntentFilter(FilterKind.Port, port.Value, port.Groups["port"].Value));
        }

        // "IPv6 socket creations": one family. A request naming both ("IPv4/IPv6 addresses") filters neither.
        var families = Family().Matches(text).Select(m => m.Groups["v"].Value).Distinct().ToList();
        if (families is [var only])
        {
            filters.Add(new IntentFilter(FilterKind.Family, Family().Match(text).Value, $"ipv{only}"));
        }

        if (LargerThan().Match(text) is { Success: true } larger)
        {
            filters.Add(new IntentFilter(FilterKind.LargerThan, larger.Value, larger.Groups["bound"].Value));
        }

        return filters;
    }

    /// <summary>The size a request's words point at ("bytes received": the returned size), whatever it computes; for a
    /// composer that must choose a value when the reader did not understand the computation.</summary>
    internal static IntentValue? SizeOf(string request) => Value(Normalize(request), new IntentComputation(ComputationKind.Sum, string.Empty));

    private static IntentValue? Value(string text, IntentComputation? computation)
    {
        if (computation?.Kind is not (ComputationKind.Sum or ComputationKind.Histogram or ComputationKind.LinearHistogram or ComputationKind.Average
            or ComputationKind.Minimum or ComputationKind.Maximum or ComputationKind.Stats))
        {
            return null;
        }

        if (OrderValue().Match(text) is { Success: true } order)
        {
            return new IntentValue(IntentRoles.Order, order.Value);
        }

        if (SizeValue().Match(text) is { Success: true } size)
        {
            // "bytes wasted by rounding up", "the overhead": a quantity derived from the sizes, which no one field denotes;
            // the qualifier makes the value an obligation Kgent cannot decide, so no program is verified by a plain size.
            var qualifier = Derived().IsMatch(text) ? "derived"
                : Requested().IsMatch(text) ? "requested" : Allocated().IsMatch(text) ? "allocated" : Returned().IsMatch(text) ? "returned" : null;
            return new IntentValue(IntentRoles.Size, size.Value, qualifier);
        }

        return null;
    }

    private static IntentUnit? Unit(string text)
    {
        if (Units().Match(text) is not { Success: true } unit)
        {
            return null;
        }

        var word = unit.Groups["unit"].Value;
        var name = word switch
        {
            _ when word.StartsWith("micro", StringComparison.Ordinal) || word is "us" or "usecs" or "usec" => "us",
            _ when word.StartsWith("milli", StringComparison.Ordinal) || word is "ms" or "msecs" or "msec" => "ms",
            _ when word.StartsWith("nano", StringComparison.Ordinal) || word is "ns" or "nsecs" => "ns",
            _ when word.StartsWith("second", StringComparison.Ordinal) || word is "s" or "secs" => "s",
            _ => "bytes",
        };
        return new IntentUnit(name, unit.Value);
    }

    private static IntentPeriod? Period(string text)
    {
        if (Every().Match(text) is { Success: true } every)
        {
            var seconds = every.Groups["n"].Success ? int.Parse(every.Groups["n"].Value, CultureInfo.InvariantCulture) : 1;
            return new IntentPeriod(every.Groups["unit"].Value.StartsWith('m') ? Math.Max(1, seconds * 60) : seconds, every.Value);
        }

        return null;
    }

    private static IEnumerable<string> NotUnderstood(string text)
    {
        foreach (Match match in Unchecked().Matches(text))
        {
            yield return $"'{match.Value}' is not checked";
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\berr\w*|\bwhy\b|\breasons?\b", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorWord();

    [GeneratedRegex(@"\b(?:latenc(?:y|ies)|how\s+long|delay|duration|service\s+time|time\s+(?:each|it|how|from|spent)|lives?\b|run\s+slice|slice\s+lengths?|elapsed|took)", RegexOptions.CultureInvariant)]
    private static partial Regex Latency();

    [GeneratedRegex(@"from\s+(?:its?\s+)?entry\s+to\s+(?:its?\s+)?(?:return|exit)|entry\s+to\s+return|enter\w*\s+to\s+exit", RegexOptions.CultureInvariant)]
    private static partial Regex EntryToReturn();

    [GeneratedRegex(@"\b(?:from|between)\b", RegexOptions.CultureInvariant)]
    private static partial Regex FromWord();

    [GeneratedRegex(@"\b(?:from|between)\s+(?:a\s+|the\s+|its\s+)?[\w-]+(?:\s+[\w-]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex FromEvent();

    [GeneratedRegex(@"\boff(?:-|\s+)(?:the\s+)?cpu|\boffcpu\b|\bblocked\b|\bwaiting\b", RegexOptions.CultureInvariant)]
    private static partial Regex OffCpu();

    [GeneratedRegex(@"\([^()]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Parenthesized();

    [GeneratedRegex(@"\btcp\b|\bsessions?\b|\bconnections?\b|\bsockets?\b", RegexOptions.CultureInvariant)]
    private static partial Regex TcpContext();

    [GeneratedRegex(@"linear\s+histogram|\blhist\b", RegexOptions.CultureInvariant)]
    private static partial Regex LinearHistogram();

    [GeneratedRegex(@"from\s+(-?\d+)\s+to\s+(-?\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Range();

    [GeneratedRegex(@"histograms?\b|distribution|\bhist\b|power-of-(?:two|2)|log2", RegexOptions.CultureInvariant)]
    private static partial Regex Histogram();

    [GeneratedRegex(@"\badd\s+up\b|\bsum(?:s|med)?\b|\btotals?\b|how\s+much|\bvolume\b", RegexOptions.CultureInvariant)]
    private static partial Regex Sum();

    [GeneratedRegex(@"\baverage\b|\bmean\b", RegexOptions.CultureInvariant)]
    private static partial Regex Average();

    [GeneratedRegex(@"\b(?:maximum|max|largest|biggest|longest)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Maximum();

    [GeneratedRegex(@"\b(?:minimum|min|smallest|shortest)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Minimum();

    [GeneratedRegex(@"\bcount(?:s|ed|ing)?\b|how\s+(?:many|often)|\btally\b|number\s+of|\bfrequent(?:ly)?\b|\bmost\s+(?:often|frequent\w*)|\bper\s+second\b", RegexOptions.CultureInvariant)]
    private static partial Regex Count();

    [GeneratedRegex(@"\btotals?\b", RegexOptions.CultureInvariant)]
    private static partial Regex TotalWord();

    [GeneratedRegex(@"\b(?:time|latenc\w+|duration|nanoseconds?|microseconds?|milliseconds?|seconds)\b", RegexOptions.CultureInvariant)]
    private static partial Regex TimeValue();

    [GeneratedRegex(@"\bper\s+(?:[\w-]+\s+)?call\b", RegexOptions.CultureInvariant)]
    private static partial Regex PerCall();

    [GeneratedRegex(@"\b(?:print(?:s|ed|ing)?|log(?:s|ged|ging)?|dump|echo)\b|\b(?:each|every)\s+(?:one|event|call|time)\b", RegexOptions.CultureInvariant)]
    private static partial Regex StrongPrint();

    [GeneratedRegex(@"\b(?:per|by)\s+(?!(?:the\s+)?(?:way|default)\b)|\bbroken\s+down\b|\bgrouped\b|\bmost\b", RegexOptions.CultureInvariant)]
    private static partial Regex Breakdown();

    /// <summary>Words that make a "show"/"trace"/"report" request one line per event: each, every, with the fields listed.</summary>
    [GeneratedRegex(@"\b(?:each|every|whenever|as\s+(?:they|it)\s+happens?)\b|\b(?:with|including|together\s+with|along\s+with|and)\s+(?:the|its|their|his|her)\b|,\s*(?:with|showing|printing|naming)\b|:\s", RegexOptions.CultureInvariant)]
    private static partial Regex PerEvent();

    [GeneratedRegex(@"\b(?:print(?:s|ing)?|show(?:s|ing)?|log(?:s|ging)?|report(?:s|ing)?|trace|display|list|naming|output|dump|watch|echo)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Print();

    [GeneratedRegex(@"\btop\s+(\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Top();

    [GeneratedRegex(@"(?:\bper\b|\bby\b|keyed\s+by|grouped\s+by|broken\s+down\s+by|down\s+by|for\s+each|\beach\b|\bwhich\b|\bon\s+which\b)\s+(?<what>(?:the\s+|their\s+|its\s+|a\s+)?(?:[\w'-]+\s+){0,2}?(?:names?|commands?|comm|programs?|executables?|process(?:es)?(?:\s+ids?)?|tasks?|pids?|tids?|threads?|cpus?(?:\s+numbers?)?|devices?|disks?|interfaces?|signals?(?:\s+numbers?)?|syscall(?:\s+(?:numbers?|ids?))?|system\s+call\s+(?:numbers?|ids?)|reasons?(?:\s+codes?)?|types?(?:\s+flags)?|kinds?|users?|uids?|ports?|file\s+descriptors?|fds?|files?|paths?|orders?|errors?(?:\s+codes?)?|functions?|call\s+sites?))\b(?!\s+\d)",
        RegexOptions.CultureInvariant)]
    private static partial Regex KeyClause();

    [GeneratedRegex(@"\bwast(?:e|es|ed|ing)\b|\boverhead\b|\bslack\b|\bfragmentation\b|\bdifference\b", RegexOptions.CultureInvariant)]
    private static partial Regex Derived();

    [GeneratedRegex(@"\b(?:woken|wakee|parent|child|target|targeted|destination|remote|dest|local|source|old|new|next)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Qualifier();

    [GeneratedRegex(@"executables?\b|binar(?:y|ies)\b|program\s+names?", RegexOptions.CultureInvariant)]
    private static partial Regex ExecutableName();

    [GeneratedRegex(@"\b(?:that|which)\s+fails?\b|\bfail(?:s|ed|ing|ures?)\b|\bunsuccessful\b|\berrors\b(?!\s+(?:number|code))|\bwith\s+an\s+error\b", RegexOptions.CultureInvariant)]
    private static partial Regex Failure();

    [GeneratedRegex(@"\bsuccessful(?:ly)?\b|\bsucceed(?:s|ed)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Success();

    [GeneratedRegex(@"\b(?:process(?:es)?|programs?|commands?|tasks?)\s+(?:named|called)\s+['""]?(?<name>[a-z0-9_.-]+)['""]?|\b(?:named|called)\s+['""]?(?<name>[a-z0-9_.-]+)['""]?\s+only\b|\bonly\s+(?:for\s+)?['""]?(?<name>[a-z0-9_.-]+)['""]?\s+process(?:es)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Named();

    [GeneratedRegex(@"\b(?:that|which|does|do|did|when|whenever)\s+(?<name>[a-z][\w.-]{1,14})\s+(?:opens?|reads?|writes?|calls?|runs?|makes?|executes?|sends?|receives?|deletes?|creates?|forks?|maps?|allocates?|connects?|listens?|accepts?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex SubjectName();

    /// <summary>Words that can stand before a verb without naming a process ("which it opens", "that each process makes").</summary>
    private static readonly HashSet<string> NotAName =
    [
        "it", "they", "he", "she", "we", "you", "i", "one", "each", "every", "any", "some", "all", "the", "a", "an", "this", "that", "process", "processes",
        "program", "programs", "task", "tasks", "thread", "threads", "application", "applications", "command", "commands", "user", "users", "kernel",
        "someone", "something", "nobody", "anyone", "code", "system", "socket", "sockets", "server", "client", "caller", "callers",
    ];

    [GeneratedRegex(@"\b(?:pid|process\s+id|process)\s+(?<pid>\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex PidFilter();

    [GeneratedRegex(@"for\s+writing\b|for\s+write\b|write\s+access|opened\s+(?:to|for)\s+write\b|writable", RegexOptions.CultureInvariant)]
    private static partial Regex ForWriting();

    [GeneratedRegex(@"\b(?:to|on|for)\s+port\s+(?<port>\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex PortFilter();

    [GeneratedRegex(@"\b(?:larger|bigger|more|greater)\s+than\s+(?<bound>\d+)\s*(?:bytes|b)?\b|\bover\s+(?<bound>\d+)\s+bytes\b", RegexOptions.CultureInvariant)]
    private static partial Regex LargerThan();

    [GeneratedRegex(@"\b(?:allocation\s+)?orders?\b", RegexOptions.CultureInvariant)]
    private static partial Regex OrderValue();

    [GeneratedRegex(@"\bbytes\b|\bsizes?\b|\blengths?\b|\bmemory\b|\bamount\b", RegexOptions.CultureInvariant)]
    private static partial Regex SizeValue();

    [GeneratedRegex(@"\b(?:asks?\s+(?:kmalloc\s+)?for|asked\s+for|requested|request(?:s|ed)?\s+(?:size|bytes)|passed\s+to|passed\b)", RegexOptions.CultureInvariant)]
    private static partial Regex Requested();

    [GeneratedRegex(@"\ballocat(?:ed|ion)\s+(?:sizes?|bytes)|\bbytes\s+allocated\b|\ballocated\b", RegexOptions.CultureInvariant)]
    private static partial Regex Allocated();

    [GeneratedRegex(@"\breturn(?:s|ed)?\b|\breceived\b|\bbytes\s+(?:read|written|sent)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Returned();

    [GeneratedRegex(@"\b(?:in|as(?:\s+a)?|print(?:ing)?)\s+(?<unit>microseconds?|milliseconds?|nanoseconds?|seconds?|usecs?|msecs?|nsecs|us|ms|ns|bytes)\b|\b(?<unit>microsecond|millisecond|nanosecond)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Units();

    [GeneratedRegex(@"\bevery\s+(?:(?<n>\d+)\s+)?(?<unit>seconds?|secs?|minutes?|mins?)\b|\b(?:each|per)\s+(?<unit>second)\b|\bonce\s+a\s+(?<unit>second)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Every();

    [GeneratedRegex(@"\b(?<a>[a-z_][a-z0-9_]{1,20})(?:\s*(?:,|and|or|/)\s*(?<b>[a-z_][a-z0-9_]{1,20}))?\s+(?:syscalls?|system\s+calls?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex SyscallNames();

    [GeneratedRegex(@"\bipv(?<v>[46])\b", RegexOptions.CultureInvariant)]
    private static partial Regex Family();

    [GeneratedRegex(@"\bshort-lived\b|\blong-running\b|\bslow(?:est)?\b|\bbusiest\b|\bsig(?:kill|term|int|hup|segv|stop|cont|usr1|usr2|chld|pipe|alrm|abrt|quit)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Unchecked();
}
