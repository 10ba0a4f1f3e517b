namespace Kgent.Kernel.Agent.Repair;

/// <summary>One repair Kgent made to a candidate before checking it again: its kind, the line, and the text before and
/// after, as an attempt's transcript shows it (<c>repaired: did-you-mean field at line 3: 'filenam' → 'filename'</c>).</summary>
public sealed record RepairStep(string Kind, int? Line, string From, string To)
{
    public const string Dialect = "dialect rewrite";
    public const string KprobeTwin = "kprobe to its tracepoint twin";

    public override string ToString() =>
        $"repaired: {Kind}{(Line is { } line ? $" at line {line}" : string.Empty)}: {Quote(From)} → {Quote(To)}";

    private static string Quote(string text)
    {
        var one = text.ReplaceLineEndings(" ").Trim();
        return one.Length == 0 ? "(nothing)" : $"'{(one.Length > 80 ? one[..80] + "…" : one)}'";
    }
}
