namespace Kgent.Kernel.Examples;

/// <summary>How alike two requests are: the Jaccard index of their content words (as retrieval sees them, with plural
/// and -ing/-ed endings removed). Used to keep near-duplicate requests out of different dataset splits.</summary>
public static class RequestSimilarity
{
    public static double Jaccard(string a, string b)
    {
        var left = Stems(a);
        var right = Stems(b);
        if (left.Count == 0 && right.Count == 0)
        {
            return 1;
        }

        return (double)left.Intersect(right).Count() / left.Union(right).Count();
    }

    private static HashSet<string> Stems(string request) => [.. ExampleQuery.Terms(request).Select(Stem)];

    private static string Stem(string word)
    {
        foreach (var suffix in new[] { "ing", "es", "ed", "s" })
        {
            if (word.Length > suffix.Length + 2 && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return word[..^suffix.Length];
            }
        }

        return word;
    }
}
