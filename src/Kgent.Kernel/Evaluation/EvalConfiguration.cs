using Kgent.Kernel.Bpftrace.Diagnostics;

namespace Kgent.Kernel.Evaluation;

/// <summary>One configuration of the pipeline, mirroring the paper's Table 1 rows.</summary>
/// <param name="Tries">Attempts (1 = no feedback loop).</param>
/// <param name="Check">Run the semantic checker (its failures feed back).</param>
/// <param name="Annotate">Run the comprehension engine and the symbolic verifier.</param>
/// <param name="VerifyInKernel">Load each candidate into the kernel verifier.</param>
/// <param name="UseHint">Add the case's human hint (the hook to use) to the request.</param>
public sealed record EvalConfiguration(string Name, string Description, int Tries, bool Check, bool Annotate, bool VerifyInKernel, bool UseHint)
{
    public static EvalConfiguration FewShot { get; } = new("few-shot", "one synthesis from the retrieved examples; no checks, no feedback", 1, false, false, false, false);

    public static EvalConfiguration Feedback { get; } = new("feedback", "semantic checker and kernel verifier, their feedback retried up to 3 times", 3, true, false, true, false);

    public static EvalConfiguration Symbex { get; } = new("symbex", "feedback plus the comprehension engine and the symbolic verifier", 3, true, true, true, false);

    public static EvalConfiguration Hints { get; } = new("hints", "few-shot with the human hint (the hook) added to the request", 1, false, false, false, true);

    public static EvalConfiguration Kgent { get; } = new("kgent", "everything: feedback, symbolic verifier and the human hint", 3, true, true, true, true);

    public static IReadOnlyList<EvalConfiguration> All { get; } = [FewShot, Feedback, Symbex, Hints, Kgent];

    /// <summary>Configurations by name, comma-separated (<c>few-shot,kgent</c>); null or empty means all.</summary>
    public static IReadOnlyList<EvalConfiguration> Parse(string? names)
    {
        if (string.IsNullOrWhiteSpace(names))
        {
            return All;
        }

        var chosen = new List<EvalConfiguration>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            chosen.Add(All.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException(
                $"unknown configuration '{name}'" + (Suggestions.Closest(name, All.Select(c => c.Name)) is { } close ? $"; did you mean '{close}'?" : string.Empty) +
                $" (known: {string.Join(", ", All.Select(c => c.Name))})"));
        }

        return chosen.DistinctBy(c => c.Name).ToList();
    }

    public string RequestFor(EvalCase evalCase) =>
        !UseHint || evalCase.Hint is not { Length: > 0 } hint ? evalCase.Request
        : hint.Split(' ')[0].Contains(':', StringComparison.Ordinal) ? $"{evalCase.Request} (Hint: use {hint}.)"
        : $"{evalCase.Request} (Hint: {hint.TrimEnd('.')}.)";
}
