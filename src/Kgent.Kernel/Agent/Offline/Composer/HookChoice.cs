using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Agent.Offline.Composer;

/// <summary>The hooks a composition attaches to for one event, best first. A hook is ranked by how much of the
/// specification it can express (each asked field, key and value it has an expression for, each filter it can state as a
/// predicate; a filter it cannot state counts heavily against it), a hook the request names outright first, tracepoints
/// before kernel functions (which not every kernel attaches). A group is the chosen hook with the system calls of the same
/// phase that the event requires (unlink with unlinkat), so the next group is the next-best hook, not a subset.</summary>
internal static class HookChoice
{
    public static IReadOnlyList<IReadOnlyList<Site>> Groups(IntentEvent intentEvent, IntentSpec spec, ProbeCatalog? catalog, IReadOnlySet<string> named, bool needsValue)
    {
        var sites = intentEvent.Hooks
            .Where(h => h.AttachPoint.StartsWith("tracepoint:", StringComparison.Ordinal) || h.AttachPoint.StartsWith("kprobe:", StringComparison.Ordinal) || h.AttachPoint.StartsWith("kretprobe:", StringComparison.Ordinal))
            .Select(h => Site.Of(h, catalog))
            .ToList();
        var ranked = sites
            .Select((s, i) => (Site: s, Score: Fit(s, spec, needsValue) + (named.Contains(s.AttachPoint) ? 100 : 0) + (s.IsTracepoint ? 10 : 0) + (s.Required ? 3 : 0), Index: i))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Index)
            .Select(s => s.Site)
            .ToList();
        var groups = new List<IReadOnlyList<Site>>();
        foreach (var best in ranked)
        {
            IReadOnlyList<Site> group = [best, .. sites.Where(s => s.Required && s != best && s.Phase == best.Phase && s.IsTracepoint == best.IsTracepoint)];
            if (!groups.Any(g => g.Count == group.Count && g.All(group.Contains)))
            {
                groups.Add(group);
            }
        }

        return groups;
    }

    /// <summary>How much of the specification a hook can express.</summary>
    public static int Fit(Site site, IntentSpec spec, bool needsValue)
    {
        var score = 0;
        foreach (var field in spec.Fields)
        {
            score += site.Resolve(field.Role, field.Qualifier) is null ? 0 : 2;
        }

        foreach (var key in spec.Keys)
        {
            score += site.Resolve(key.Role, key.Qualifier) is null ? -2 : 2;
        }

        if (spec.Value is { } value)
        {
            score += site.Resolve(value.Role, value.Qualifier) is null ? -4 : 2;
        }
        else if (needsValue)
        {
            var size = OfflineIntentReader.SizeOf(spec.Request);
            score += site.Resolve(IntentRoles.Size, size?.Qualifier) is null ? -4 : 1;
        }

        foreach (var filter in spec.Filters)
        {
            score += FilterConditions.For(filter, site.AttachPoint, site.Format, "$value") is null ? -8 : 3;
        }

        return score;
    }
}
