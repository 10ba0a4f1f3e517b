using System.Collections.Immutable;

namespace Kgent.Kernel.Intent;

/// <summary>One item of a specification as a front end shows it: what it is ("event", "filter", …), what it asks in
/// Kgent's words, and the request words it came from.</summary>
public sealed record IntentSpecItem(string Label, string Text, string Words);

/// <summary>A specification as a list of items, in the order the CLI and the notebook show them.</summary>
public static class IntentSpecItems
{
    public static ImmutableArray<IntentSpecItem> Of(IntentSpec spec)
    {
        var items = ImmutableArray.CreateBuilder<IntentSpecItem>();
        foreach (var e in spec.Events)
        {
            var role = e.Role == EventRole.Main ? "event" : $"{e.Role.ToString().ToLowerInvariant()} event";
            var hooks = e.Hooks.IsEmpty ? "no hook on this kernel"
                : string.Join(", ", e.Hooks.Select(h => (h.Condition is null ? h.AttachPoint : $"{h.AttachPoint} /{h.Condition}/") + (h.Required ? " (required)" : string.Empty)));
            items.Add(new(role, $"{e.Name}: {hooks}", e.Words));
        }

        if (spec.Computation is { } c)
        {
            var detail = c.Kind switch
            {
                ComputationKind.Latency => (c.Across is null ? string.Empty : $" across the {c.Across}") + (c.Shape is { } shown ? $", shown as {IntentNames.Of(shown)}" : ", printed or aggregated"),
                ComputationKind.LinearHistogram when c.Low is not null => $" from {c.Low} to {c.High}",
                _ => string.Empty,
            };
            items.Add(new("computation", $"{IntentNames.Of(c.Kind)}{detail}" + (c.Top is { } top ? $", top {top}" : string.Empty), c.Words));
        }

        items.AddRange(spec.Keys.Select(k => new IntentSpecItem("key", IntentRoles.Describe(k.Role, k.Qualifier), k.Words)));
        items.AddRange(spec.Filters.Select(f => new IntentSpecItem("filter", IntentNames.Of(f.Kind) + (f.Value is null ? string.Empty : $" {f.Value}"), f.Words)));
        items.AddRange(spec.Fields.Select(f => new IntentSpecItem("field", IntentRoles.Describe(f.Role, f.Qualifier), f.Words)));
        if (spec.Value is { } v)
        {
            items.Add(new("value", IntentRoles.Describe(v.Role, v.Qualifier), v.Words));
        }

        if (spec.Unit is { } u)
        {
            items.Add(new("unit", u.Unit, u.Words));
        }

        if (spec.Period is { } p)
        {
            items.Add(new("period", $"every {p.Seconds} s", p.Words));
        }

        return items.ToImmutable();
    }

}
