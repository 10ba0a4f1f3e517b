using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;

namespace Kgent.Kernel.Bpftrace.Language;

/// <summary>The bpftrace release table of datasets/bpftrace-versions/language.yaml (compiled into this assembly as
/// <see cref="LanguageTable"/>): which release added each feature, function and builtin after 0.17, and which it removed.</summary>
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
        // The table is compiled in (LanguageTable.g.cs, generated from datasets/bpftrace-versions/language.yaml; a test
        // regenerates it and fails when the two differ): reading the YAML at run time costs a command 60 ms.
        var features = LanguageTable.Features;
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
