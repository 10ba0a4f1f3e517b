namespace Kgent.Kernel.Tests.Architecture;

/// <summary>src/layers.md: each layer's namespaces and the layers it may use.</summary>
public sealed record LayerTable(IReadOnlyList<LayerTable.Layer> Layers)
{
    public sealed record Layer(string Name, IReadOnlyList<string> Namespaces, IReadOnlySet<string> MayUse);

    public static string PathInRepository { get; } = Path.Combine(Support.Corpus.RepositoryRoot, "src", "layers.md");

    public static LayerTable Read(string path)
    {
        static string[] Cells(string line) => [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim())];
        var rows = File.ReadAllLines(path).Where(l => l.TrimStart().StartsWith('|')).Skip(2).Select(Cells).ToList();
        var layers = rows.Select(cells =>
        {
            Assert.True(cells.Length == 3, $"{path}: a row needs three cells (layer, namespaces, may use): | {string.Join(" | ", cells)} |");
            static string[] List(string cell) => [.. cell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            return new Layer(cells[0], List(cells[1]), List(cells[2]).ToHashSet(StringComparer.Ordinal));
        }).ToList();
        var names = layers.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            Assert.All(layer.MayUse, used => Assert.True(names.Contains(used), $"{path}: layer '{layer.Name}' may use '{used}', which is no layer"));
        }

        return new LayerTable(layers);
    }

    /// <summary>The layer that holds a namespace: the row naming its longest prefix; null when none does.</summary>
    public Layer? Of(string @namespace) => Layers
        .SelectMany(l => l.Namespaces.Select(n => (Layer: l, Prefix: n)))
        .Where(p => @namespace == p.Prefix || @namespace.StartsWith(p.Prefix + ".", StringComparison.Ordinal))
        .OrderByDescending(p => p.Prefix.Length)
        .Select(p => p.Layer)
        .FirstOrDefault();

    public static bool Allows(Layer from, Layer to) => from == to || from.MayUse.Contains(to.Name);
}
