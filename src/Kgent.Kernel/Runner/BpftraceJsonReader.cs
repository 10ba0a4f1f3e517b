using System.Collections.Immutable;
using System.Text.Json;

namespace Kgent.Kernel.Runner;

/// <summary>Reads bpftrace 0.17's <c>-f json</c> output, one object per line (shapes recorded in
/// shared/notes/bpftrace-on-this-host.md): printf events, map/hist/stats dumps at exit, and the other event types.
/// Blank lines (printed before the map dump) and lines that are not JSON are skipped and counted.</summary>
public sealed class BpftraceJsonReader(IReadOnlyDictionary<string, int>? keyArity = null)
{
    public List<string> Printf { get; } = [];

    public List<MapOutput> Maps { get; } = [];

    public List<(string Type, string Text)> Other { get; } = [];

    public int UnreadableLines { get; private set; }

    /// <summary>Reads one line; returns true when it was a printf event.</summary>
    public bool Read(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || !root.TryGetProperty("data", out var data))
            {
                UnreadableLines++;
                return false;
            }

            var type = typeElement.GetString() ?? string.Empty;
            switch (type)
            {
                case "printf":
                    Printf.Add(data.GetString() ?? string.Empty);
                    return true;
                case "map" or "hist" or "stats":
                    foreach (var map in data.EnumerateObject())
                    {
                        Maps.Add(new MapOutput(map.Name, type, Data(map.Name, type, map.Value)));
                    }

                    return false;
                case "attached_probes":
                    return false;
                default:
                    Other.Add((type, data.ValueKind == JsonValueKind.String ? data.GetString()! : data.GetRawText()));
                    return false;
            }
        }
        catch (JsonException)
        {
            UnreadableLines++;
            return false;
        }
    }

    private MapData Data(string name, string type, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return new MapData.Scalar(value.TryGetInt64(out var number) ? number : (long)value.GetDouble());
            case JsonValueKind.String:
                return new MapData.Text(value.GetString()!);
            case JsonValueKind.Array when type == "hist":
                return Histogram(value);
            case JsonValueKind.Object when type == "stats" && IsStats(value):
                return new MapData.Stats(value.GetProperty("count").GetInt64(), value.GetProperty("average").GetInt64(), value.GetProperty("total").GetInt64());
            case JsonValueKind.Object:
                return new MapData.Keyed([.. value.EnumerateObject().Select(entry => new KeyedEntry(entry.Name, Split(name, entry.Name), Data(name, type, entry.Value)))]);
            default:
                return new MapData.Text(value.GetRawText());
        }
    }

    private static MapData.Histogram Histogram(JsonElement buckets) => new(
    [
        .. buckets.EnumerateArray().Select(b => new HistogramBucket(
            b.TryGetProperty("min", out var min) ? min.GetInt64() : null,
            b.TryGetProperty("max", out var max) ? max.GetInt64() : null,
            b.TryGetProperty("count", out var count) ? count.GetInt64() : 0)),
    ]);

    private static bool IsStats(JsonElement value) =>
        value.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number
        && value.TryGetProperty("average", out _) && value.TryGetProperty("total", out _);

    /// <summary>bpftrace joins tuple keys with ',' (ambiguous when a string part has one): split into the arity the
    /// program's map expressions use, keeping extra commas in the first part.</summary>
    private ImmutableArray<string> Split(string map, string key)
    {
        var arity = keyArity?.GetValueOrDefault(map) ?? 1;
        if (arity <= 1)
        {
            return [key];
        }

        var parts = key.Split(',');
        if (parts.Length <= arity)
        {
            return [.. parts];
        }

        var extra = parts.Length - arity;
        return [string.Join(',', parts.Take(extra + 1)), .. parts.Skip(extra + 1)];
    }
}
