using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Semantics.Types;

namespace Kgent.Kernel.Semantics;

/// <summary>Remembers, across the whole program in source order, the first value and key signature of each map,
/// and reports later uses that disagree (bpftrace's "Type mismatch for @x" and "Argument mismatch for @x"), and reads of a
/// map that no statement of the program assigns (bpftrace's "Undefined map").</summary>
internal sealed class MapTypeTracker(CheckContext context, IReadOnlySet<string> defined)
{
    private readonly HashSet<string> reportedUndefined = new(StringComparer.Ordinal);

    private readonly Dictionary<string, (BpfValueType Type, string Class, TextSpan Span)> values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string?[] Classes, string Display, TextSpan Span)> keys = new(StringComparer.Ordinal);

    public BpfValueType ValueOf(string map) => values.TryGetValue(map, out var entry) ? entry.Type : UnknownType.Instance;

    /// <summary>Reports a read of a map nothing assigns, once per map, with the closest assigned map as a suggestion.</summary>
    public void Read(MapExpression map)
    {
        if (defined.Contains(map.Name) || !reportedUndefined.Add(map.Name)
            || context.Options.Has("unassigned-map-read"))
        {
            return;
        }

        context.Report(SemanticDiagnostics.MapUndefined, map.Span, $"undefined map {map.Name}: no statement in the program assigns it",
            CheckContext.DidYouMean(map.Name, defined) is { Length: > 0 } suggestion ? suggestion : $"assign it first, e.g. {map.Name} = count(); or {map.Name}[key] = value;");
    }

    public void Assign(MapExpression map, BpfValueType value, TextSpan span)
    {
        var valueClass = TypeRules.CompatibilityClass(value);
        if (valueClass is null)
        {
            return;
        }

        if (!values.TryGetValue(map.Name, out var first))
        {
            values[map.Name] = (value, valueClass, span);
            return;
        }

        if (first.Class != valueClass)
        {
            var line = context.Source.GetLinePosition(first.Span.Start).Line;
            context.Report(SemanticDiagnostics.MapValueMismatch, span,
                $"type mismatch for {map.Name}: assigning a value of type '{TypeRules.Describe(value)}' when the map already holds '{TypeRules.Describe(first.Type)}' (line {line})",
                $"use another map for this value, or store the same kind of value as line {line}");
        }
    }

    public void UseKeys(MapExpression map, IReadOnlyList<BpfValueType> keyTypes)
    {
        // From bpftrace 0.22 a map's key is one value: @m[a, b] and @m[$t] with $t = (a, b) are the same key.
        if (keyTypes.Count > 1 && context.Options.Has("tuple-map-keys"))
        {
            keyTypes = [new TupleType([.. keyTypes])];
        }

        var classes = keyTypes.Select(TypeRules.CompatibilityClass).ToArray();
        var display = keyTypes.Count == 0 ? "no key" : $"[{string.Join(", ", keyTypes.Select(TypeRules.Describe))}]";
        if (!keys.TryGetValue(map.Name, out var first))
        {
            keys[map.Name] = (classes, display, map.Span);
            return;
        }

        var mismatch = first.Classes.Length != classes.Length
            || first.Classes.Zip(classes).Any(pair => pair.First is not null && pair.Second is not null && pair.First != pair.Second);
        if (mismatch)
        {
            var line = context.Source.GetLinePosition(first.Span.Start).Line;
            context.Report(SemanticDiagnostics.MapKeyMismatch, map.Span,
                $"key mismatch for {map.Name}: used with {display} here but with {first.Display} on line {line}",
                first.Classes.Length == 0 ? $"{map.Name} has no key: write {map.Name} without [ ]" : $"use the same number and kinds of keys as line {line}");
        }
    }
}
