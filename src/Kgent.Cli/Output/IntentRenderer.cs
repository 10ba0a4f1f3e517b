using Kgent.Kernel.Intent;

namespace Kgent.Cli.Output;

/// <summary>Prints an intent specification, one line per item, each with the request words it came from.</summary>
public static class IntentRenderer
{
    public static void Write(TextWriter output, IntentSpec spec, ConsoleStyle style)
    {
        output.WriteLine($"request: {spec.Request}" + style.Dim($"  ({spec.Producer})"));
        if (spec.IsEmpty)
        {
            output.WriteLine(style.Warning("nothing in this request that Kgent can check"));
        }

        foreach (var e in spec.Events)
        {
            var role = e.Role == EventRole.Main ? "event" : $"{e.Role.ToString().ToLowerInvariant()} event";
            output.WriteLine($"{role,-12} {e.Name} {Words(e.Words, style)}: " +
                (e.Hooks.IsEmpty ? style.Warning("no hook on this kernel") : string.Join(", ", e.Hooks.Select(h => h.Condition is null ? h.AttachPoint : $"{h.AttachPoint} /{h.Condition}/"))));
        }

        if (spec.Computation is { } c)
        {
            var detail = c.Kind switch
            {
                ComputationKind.Latency => (c.Across is null ? string.Empty : $" across the {c.Across}") + (c.Shape is { } shown ? $", shown as {Kind(shown)}" : ", printed or aggregated"),
                ComputationKind.LinearHistogram when c.Low is not null => $" from {c.Low} to {c.High}",
                _ => string.Empty,
            };
            output.WriteLine($"{"computation",-12} {Kind(c.Kind)}{detail} {Words(c.Words, style)}" + (c.Top is { } top ? $", top {top}" : string.Empty));
        }

        foreach (var k in spec.Keys)
        {
            output.WriteLine($"{"key",-12} {IntentRoles.Describe(k.Role, k.Qualifier)} {Words(k.Words, style)}");
        }

        foreach (var f in spec.Filters)
        {
            output.WriteLine($"{"filter",-12} {System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(f.Kind.ToString())}{(f.Value is null ? string.Empty : $" {f.Value}")} {Words(f.Words, style)}");
        }

        foreach (var f in spec.Fields)
        {
            output.WriteLine($"{"field",-12} {IntentRoles.Describe(f.Role, f.Qualifier)} {Words(f.Words, style)}");
        }

        if (spec.Value is { } v)
        {
            output.WriteLine($"{"value",-12} {IntentRoles.Describe(v.Role, v.Qualifier)} {Words(v.Words, style)}");
        }

        if (spec.Unit is { } u)
        {
            output.WriteLine($"{"unit",-12} {u.Unit} {Words(u.Words, style)}");
        }

        if (spec.Period is { } p)
        {
            output.WriteLine($"{"period",-12} every {p.Seconds} s {Words(p.Words, style)}");
        }

        foreach (var note in spec.NotUnderstood)
        {
            output.WriteLine(style.Dim($"{"not checked",-12} {note}"));
        }
    }

    private static string Kind(ComputationKind kind) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    private static string Words(string words, ConsoleStyle style) => words.Length == 0 ? string.Empty : style.Dim($"(\"{words}\")");
}
