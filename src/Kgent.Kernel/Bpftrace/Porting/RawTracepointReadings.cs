using System.Collections.Frozen;
using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Bpftrace.Porting;

/// <summary>The table of tracepoints read through their raw tracepoints (datasets/bpftrace-versions/raw-tracepoints.yaml,
/// embedded in this assembly), read once.</summary>
public static class RawTracepointReadings
{
    private static readonly Lazy<FrozenDictionary<string, RawTracepointReading>> Loaded = new(Load);

    public static IEnumerable<RawTracepointReading> All => Loaded.Value.Values;

    /// <summary>The row for <c>category:event</c>, or null.</summary>
    public static RawTracepointReading? Find(string tracepoint) => Loaded.Value.GetValueOrDefault(tracepoint);

    private static FrozenDictionary<string, RawTracepointReading> Load()
    {
        using var stream = typeof(RawTracepointReadings).Assembly.GetManifestResourceStream("Kgent.bpftrace-raw-tracepoints.yaml")
            ?? throw new InvalidOperationException("the raw tracepoint table is not embedded in Kgent.Kernel");
        var yaml = new YamlStream();
        yaml.Load(new StreamReader(stream));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return ((YamlSequenceNode)root.Children[new YamlScalarNode("tracepoints")]).Children.Cast<YamlMappingNode>()
            .Select(Read).ToFrozenDictionary(r => r.Tracepoint, StringComparer.Ordinal);
    }

    private static RawTracepointReading Read(YamlMappingNode node)
    {
        YamlNode? Child(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
        ImmutableDictionary<string, string> Map(string key) => Child(key) is YamlMappingNode map
            ? map.Children.ToImmutableDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!, StringComparer.Ordinal)
            : ImmutableDictionary<string, string>.Empty;
        var tracepoint = (Child("tracepoint") as YamlScalarNode)?.Value
            ?? throw new InvalidOperationException("raw-tracepoints.yaml: a row without a tracepoint");
        var arguments = Child("arguments") is YamlSequenceNode list ? list.Children.OfType<YamlScalarNode>().Select(s => s.Value!).ToImmutableArray() : [];
        return new RawTracepointReading(tracepoint, arguments, Map("fields"), Map("strings"));
    }
}
