using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Bpftrace.Language;

/// <summary>The bpftrace release table, read once from datasets/bpftrace-versions/language.yaml (embedded in this
/// assembly): which release added each feature, function and builtin after 0.17, and which it removed.</summary>
public static class LanguageFeatures
{
    /// <summary>The oldest release Kgent reads: Debian bookworm's.</summary>
    public static Version Oldest { get; } = new(0, 17, 0);

    private static readonly Lazy<Table> Loaded = new(Load);

    public static ImmutableArray<LanguageFeature> All => Loaded.Value.Features;

    /// <summary>The feature by its id in the dataset (<c>let</c>, <c>config-block</c>, …).</summary>
    public static LanguageFeature Get(string id) =>
        Loaded.Value.ById.TryGetValue(id, out var feature) ? feature : throw new ArgumentException($"no bpftrace language feature '{id}'", nameof(id));

    /// <summary>The feature that added a function after 0.17 (<c>has_key</c>), or null.</summary>
    public static LanguageFeature? ForFunction(string name) => Loaded.Value.ByFunction.GetValueOrDefault(name);

    /// <summary>The feature that added or removed a builtin (<c>ncpus</c>, <c>sarg0</c>), or null.</summary>
    public static LanguageFeature? ForBuiltin(string name) => Loaded.Value.ByBuiltin.GetValueOrDefault(name);

    /// <summary>A function of some release from 0.17 on: what the parser reads.</summary>
    public static bool IsFunctionOfAnyRelease(string name) => BpftraceVocabulary.IsFunction(name) || Loaded.Value.ByFunction.ContainsKey(name);

    /// <summary>A builtin variable of some release from 0.17 on.</summary>
    public static bool IsBuiltinOfAnyRelease(string name) => BpftraceVocabulary.IsBuiltin(name) || Loaded.Value.ByBuiltin.ContainsKey(name);

    private sealed record Table(
        ImmutableArray<LanguageFeature> Features,
        FrozenDictionary<string, LanguageFeature> ById,
        FrozenDictionary<string, LanguageFeature> ByFunction,
        FrozenDictionary<string, LanguageFeature> ByBuiltin);

    private static Table Load()
    {
        using var stream = typeof(LanguageFeatures).Assembly.GetManifestResourceStream("Kgent.bpftrace-language.yaml")
            ?? throw new InvalidOperationException("the bpftrace language table is not embedded in Kgent.Kernel");
        var yaml = new YamlStream();
        yaml.Load(new StreamReader(stream));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var features = ((YamlSequenceNode)root.Children[new YamlScalarNode("features")]).Children.Cast<YamlMappingNode>().Select(Read).ToImmutableArray();
        var functions = new Dictionary<string, LanguageFeature>(StringComparer.Ordinal);
        var builtins = new Dictionary<string, LanguageFeature>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            foreach (var name in feature.Functions)
            {
                functions.TryAdd(name, feature);
            }

            foreach (var name in feature.Builtins)
            {
                builtins.TryAdd(name, feature);
            }
        }

        return new Table(features, features.ToFrozenDictionary(f => f.Id, StringComparer.Ordinal),
            functions.ToFrozenDictionary(StringComparer.Ordinal), builtins.ToFrozenDictionary(StringComparer.Ordinal));
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

    /// <summary>Reads "0.23", "0.23.2" or "v0.23.2".</summary>
    public static bool TryParseVersion(string text, out Version version)
    {
        var trimmed = text.Trim().TrimStart('v', 'V');
        var parts = trimmed.Split('.');
        version = new Version(0, 0);
        if (parts.Length is < 2 or > 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        var numbers = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        version = new Version(numbers[0], numbers[1], numbers.Length > 2 ? numbers[2] : 0);
        return true;
    }
}
