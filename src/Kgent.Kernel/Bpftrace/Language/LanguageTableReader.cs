using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Bpftrace.Language;

/// <summary>Reads the release table's YAML (datasets/bpftrace-versions/language.yaml): what <see cref="LanguageTable"/>
/// is generated from, and what a test compares it with.</summary>
public static class LanguageTableReader
{
    public static ImmutableArray<LanguageFeature> Read(TextReader text)
    {
        var yaml = new YamlStream();
        yaml.Load(text);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return [.. ((YamlSequenceNode)root.Children[new YamlScalarNode("features")]).Children.Cast<YamlMappingNode>().Select(Read)];
    }

    private static LanguageFeature Read(YamlMappingNode node)
    {
        string? Scalar(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var value)
            && value is YamlScalarNode { Value: { } text } && text != "null" ? text : null;
        Version? Release(string key) => Scalar(key) is { } text ? Version.Parse(text) : null;
        ImmutableArray<string> Names(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode list
            ? [.. list.Children.OfType<YamlScalarNode>().Select(s => s.Value!)]
            : [];
        var id = Scalar("id") ?? throw new InvalidOperationException("a bpftrace language feature without an id");
        var kind = Enum.Parse<LanguageFeatureKind>(Scalar("kind") ?? throw new InvalidOperationException($"feature '{id}' has no kind"), ignoreCase: true);
        return new LanguageFeature(id, Scalar("title") ?? id, kind, Release("added") ?? Release("measured"), Release("deprecated"), Release("removed"),
            Scalar("changelog") ?? string.Empty, Scalar("example") ?? string.Empty, Scalar("older") ?? Scalar("newer"),
            Names("functions"), Names("builtins"))
        {
            Broken = Release("broken"),
            Fixed = Release("fixed"),
        };
    }
}
