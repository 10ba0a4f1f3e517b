using System.Text.RegularExpressions;

namespace Kgent.Kernel.Examples;

/// <summary>Turns a plain-English request into an FTS5 query: its words (minus common ones), each quoted so no FTS5
/// syntax in the request can break the query, joined with OR so BM25 ranks by how many and how rare the matches are.</summary>
public static partial class ExampleQuery
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "is", "are", "be", "it", "its", "as", "at",
        "from", "that", "this", "these", "those", "me", "my", "i", "we", "you", "show", "print", "please", "each", "every", "all",
        "when", "what", "which", "how", "their", "them", "they", "trace", "tracing", "using", "use",
    };

    /// <summary>The words of a request that matter for retrieval, lower-cased, in order, without duplicates.</summary>
    public static IReadOnlyList<string> Terms(string request) =>
        [.. Word().Matches(request).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length > 1 && !StopWords.Contains(w)).Distinct()];

    /// <summary>The FTS5 MATCH expression, or null when the request has no usable words.</summary>
    public static string? ToFts(string request)
    {
        var terms = Terms(request);
        return terms.Count == 0 ? null : string.Join(" OR ", terms.Select(t => $"\"{t}\""));
    }

    [GeneratedRegex(@"[A-Za-z0-9_]+")]
    private static partial Regex Word();
}
