namespace Kgent.Kernel.Agent.Offline;

/// <summary>What the offline model knows about one hook: the words that call for it (its verbs first), its attach point (and a
/// predicate it always needs), the value to size/sum/histogram, and how to print one event.</summary>
/// <param name="Noun">Names the map: <c>@opens</c>.</param>
internal sealed record HookTemplate(
    string[] Words,
    string AttachPoint,
    string Noun,
    string? Predicate,
    string? Size,
    string PrintFormat,
    string PrintArguments)
{
    public string Category => AttachPoint.Split(':') is [_, var category, _] ? category : string.Empty;

    public string TracepointName => AttachPoint.StartsWith("tracepoint:", StringComparison.Ordinal) ? AttachPoint["tracepoint:".Length..] : AttachPoint;
}
