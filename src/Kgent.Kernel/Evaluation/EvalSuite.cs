using System.Collections.Immutable;

namespace Kgent.Kernel.Evaluation;

/// <summary>A set of evaluation cases, from a folder of YAML files, one YAML file, or a plain text file of prompts (one
/// per line, no oracles).</summary>
public sealed record EvalSuite(string Source, ImmutableArray<EvalCase> Cases)
{
    public bool HasOracles => Cases.Any(c => c.Oracle is not null);

    /// <summary>The cases whose id or category is in a comma-separated list; null or empty keeps all.</summary>
    /// <exception cref="ArgumentException">Nothing matches.</exception>
    public EvalSuite Only(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return this;
        }

        var wanted = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var kept = Cases.Where(c => wanted.Contains(c.Id) || wanted.Contains(c.Category)).ToImmutableArray();
        return kept.IsEmpty
            ? throw new ArgumentException($"--only {filter} matches no case id or category of {Source} (categories: {string.Join(", ", Cases.Select(c => c.Category).Distinct())})")
            : this with { Cases = kept };
    }
}
