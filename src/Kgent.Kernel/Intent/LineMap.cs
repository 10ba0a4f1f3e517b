namespace Kgent.Kernel.Intent;

/// <summary>Annotated lines to the program's own lines: lines holding only an assume/assert that Kgent inserted are not
/// the program's. For a program the user annotated, every line is its own (<see cref="Identity"/>).</summary>
internal sealed class LineMap
{
    private readonly int[]? original;

    private LineMap(int[]? original) => this.original = original;

    public static LineMap Identity { get; } = new(null);

    /// <summary>The map for a program Kgent annotated: its inserted lines count as the line before them.</summary>
    public static LineMap Inserted(string annotated) => new(Build(annotated));

    public int? Original(int? line) => original is not null && line is { } l && l >= 1 && l <= original.Length ? original[l - 1] : line;

    public int Original(int line) => Original((int?)line) ?? line;

    private static int[] Build(string text)
    {
        var lines = text.Split('\n');
        var map = new int[lines.Length];
        var own = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            var annotation = trimmed.StartsWith("assume(", StringComparison.Ordinal) || trimmed.StartsWith("assert(", StringComparison.Ordinal);
            map[i] = annotation ? Math.Max(1, own) : ++own;
        }

        return map;
    }
}
