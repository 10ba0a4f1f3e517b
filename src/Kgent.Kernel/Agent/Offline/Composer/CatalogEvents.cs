using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Agent.Offline.Composer;

/// <summary>An event for a request the intent reader's vocabulary does not cover, found in this kernel's catalog by
/// name: a system call the request names ("fchmodat", "recvfrom", "truncation" for truncate and ftruncate), or a
/// tracepoint two of whose name's words the request uses ("direct reclaim begin" for
/// <c>vmscan:mm_vmscan_direct_reclaim_begin</c>). One match is enough only for a system call's own name; anything
/// weaker finds nothing, so the model says it cannot rather than trace something the request did not ask about.</summary>
internal static partial class CatalogEvents
{
    private static readonly HashSet<string> Generic =
    [
        "trace", "print", "count", "show", "list", "each", "every", "with", "from", "into", "that", "this", "their", "them", "what", "which",
        "process", "processes", "program", "programs", "name", "number", "time", "times", "call", "calls", "system", "syscall", "syscalls",
        "event", "events", "start", "starts", "end", "new", "per", "second", "seconds", "kernel", "when", "the", "and", "for", "how", "many",
        "much", "long", "total", "bytes", "size", "sizes", "enter", "exit", "return", "returns", "task", "tasks", "file", "files",
    ];

    public static ImmutableArray<IntentEvent> Find(string request, ProbeCatalog? catalog)
    {
        if (catalog is null)
        {
            return [];
        }

        var words = Word().Matches(Parenthesized().Replace(request.ToLowerInvariant(), " ")).Select(m => m.Value)
            .Where(w => w.Length >= 3 && !Generic.Contains(w)).Distinct().ToList();
        if (words.Count == 0)
        {
            return [];
        }

        var stems = words.Select(Stem).Where(s => s.Length >= 4).ToHashSet(StringComparer.Ordinal);
        var best = new List<(string Name, int Score)>();
        foreach (var name in catalog.TracepointNames)
        {
            var score = Score(name, words, stems);
            if (score > 0)
            {
                best.Add((name, score));
            }
        }

        if (best.Count == 0)
        {
            return [];
        }

        var top = best.Max(b => b.Score);
        var hooks = best.Where(b => b.Score == top).Select(b => b.Name).Take(4).Select(n => new IntentHook("tracepoint:" + n)).ToImmutableArray();
        var label = hooks[0].AttachPoint.Split(':')[^1].Replace("sys_enter_", string.Empty, StringComparison.Ordinal).Replace("sys_exit_", string.Empty, StringComparison.Ordinal);
        return [new IntentEvent(label.Replace('_', ' '), label, hooks)];
    }

    /// <summary>3 for a system call named by a word of the request (2 for its stem); for another tracepoint, one per
    /// name word the request uses, kept only from two up.</summary>
    private static int Score(string name, IReadOnlyList<string> words, IReadOnlySet<string> stems)
    {
        var parts = name.Split(':');
        if (parts is ["syscalls", var call])
        {
            var syscall = call.StartsWith("sys_enter_", StringComparison.Ordinal) ? call["sys_enter_".Length..]
                : call.StartsWith("sys_exit_", StringComparison.Ordinal) ? call["sys_exit_".Length..] : call;
            // A stem match needs a long name: "created" must not find creat(2).
            return words.Contains(syscall) ? 3 : syscall.Length >= 6 && stems.Contains(Stem(syscall)) ? 2 : 0;
        }

        var tokens = parts.SelectMany(p => p.Split('_')).Where(t => t.Length >= 4 && !Generic.Contains(t)).Select(Stem).Distinct().ToList();
        var matched = tokens.Count(stems.Contains);
        return matched >= 2 ? matched : 0;
    }

    /// <summary>A crude stem: "truncation" and "truncate" → "truncat", "reclaims" → "reclaim".</summary>
    internal static string Stem(string word)
    {
        foreach (var suffix in (string[])["ations", "ation", "ions", "ion", "ing", "ed", "es", "s", "e"])
        {
            if (word.Length - suffix.Length >= 4 && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return word[..^suffix.Length] + (suffix.StartsWith("ation", StringComparison.Ordinal) ? "at" : string.Empty);
            }
        }

        return word;
    }

    [GeneratedRegex(@"[a-z][a-z0-9_]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesized();
}
