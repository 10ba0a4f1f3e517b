using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Kgent.Kernel.Intent;

/// <summary>One sense of "what happened" the offline reader knows: the words that name it and the hooks that observe
/// it, split into those that see the call's arguments (<see cref="Entry"/>) and those that see its result
/// (<see cref="Exit"/>); hooks that see both, or that are not calls, are in both lists.</summary>
internal sealed record EventSense(string Name, Regex Words, ImmutableArray<IntentHook> Entry, ImmutableArray<IntentHook> Exit, int Priority = 0)
{
    /// <summary>A system call (or a few equivalent ones): <c>tracepoint:syscalls:sys_enter_X</c> and <c>sys_exit_X</c>,
    /// plus kernel functions that do the same work (for kernels with kprobes).</summary>
    /// <param name="required">The calls a system-call-level program must all observe (default: the first).</param>
    public static EventSense Syscall(string name, string pattern, string[] calls, string[]? entryFunctions = null, string[]? exitFunctions = null, int priority = 0,
        string[]? required = null)
    {
        var must = (required ?? calls.Take(1)).ToHashSet(StringComparer.Ordinal);
        return new(name, Pattern(pattern),
            [.. calls.Select(c => new IntentHook($"tracepoint:syscalls:sys_enter_{c}", Required: must.Contains(c))), .. (entryFunctions ?? []).Select(f => new IntentHook($"kprobe:{f}"))],
            [.. calls.Select(c => new IntentHook($"tracepoint:syscalls:sys_exit_{c}", Required: must.Contains(c))), .. (exitFunctions ?? []).Select(f => new IntentHook($"kretprobe:{f}"))],
            priority);
    }

    /// <summary>An event that is not a call: every hook sees all there is.</summary>
    public static EventSense Hooks(string name, string pattern, IntentHook[] hooks, int priority = 0) =>
        new(name, Pattern(pattern), [.. hooks], [.. hooks], priority);

    private static Regex Pattern(string pattern) => new($@"\b(?:{pattern})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
