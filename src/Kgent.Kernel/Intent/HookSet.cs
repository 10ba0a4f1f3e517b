using System.Collections.Immutable;

namespace Kgent.Kernel.Intent;

/// <summary>The hooks acceptable for an event, as attach points; an entry may end in <c>*</c> (<c>profile:*</c>: every
/// sampling rate), which accepts every attach point that starts with what comes before it.</summary>
internal sealed class HookSet(ImmutableArray<IntentHook> hooks)
{
    private readonly HashSet<string> exact = [.. hooks.Where(h => !h.AttachPoint.EndsWith('*')).Select(h => h.AttachPoint)];
    private readonly string[] prefixes = [.. hooks.Where(h => h.AttachPoint.EndsWith('*')).Select(h => h.AttachPoint[..^1])];

    public bool Contains(string attachPoint) =>
        exact.Contains(attachPoint) || prefixes.Any(p => attachPoint.StartsWith(p, StringComparison.Ordinal));
}
