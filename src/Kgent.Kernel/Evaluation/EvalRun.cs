using System.Collections.Immutable;

namespace Kgent.Kernel.Evaluation;

/// <summary>How one run ended. With an oracle: <see cref="Correct"/> (a program came back and passed the oracle),
/// <see cref="FalsePositive"/> (a program came back as verified but failed the oracle), <see cref="FalseNegative"/> (the
/// pipeline gave up). Without one (a plain prompts file): <see cref="Returned"/> or <see cref="GaveUp"/>.</summary>
public enum EvalOutcome
{
    Correct,
    FalsePositive,
    FalseNegative,
    Returned,
    GaveUp,
}

/// <summary>One run of one case under one configuration: a line of the results file.</summary>
/// <param name="Rejections">The stage that rejected each failed attempt, in order (e.g. <c>kernel verifier</c>).</param>
/// <param name="StoppedAt">Where the run ended: <c>returned</c>, or the stage that rejected the last attempt.</param>
/// <param name="StageMilliseconds">Time per pipeline stage, summed over the attempts.</param>
/// <param name="Request">The request as the configuration asked it (with the hint, if any).</param>
/// <param name="Verdict">Kgent's own verdict on the returned program: <c>verified</c>, <c>nothing to prove</c>,
/// <c>unknown</c>, or <c>not checked</c> in configurations without the verifiers; null when it gave up. A returned
/// program that fails its oracle is a false positive whatever this says.</param>
public sealed record EvalRun(
    string Configuration,
    string CaseId,
    int Repetition,
    EvalOutcome Outcome,
    string StoppedAt,
    int Attempts,
    ImmutableArray<string> Rejections,
    ImmutableArray<string> OracleFailures,
    string? Program,
    ImmutableDictionary<string, double> StageMilliseconds,
    double TotalMilliseconds,
    string Model,
    string? Request = null,
    string? Verdict = null)
{
    public string Key => RunKey(Configuration, CaseId, Repetition);

    /// <summary>Attempts whose candidate Kgent repaired instead of asking the model again: the model calls repairs saved.</summary>
    public int Repairs { get; init; }

    /// <summary>For a run that gave up, why: the last feedback (the model's own "I can't …", or the check that refuted its
    /// last candidate), one line; null when a program came back.</summary>
    public string? Reason { get; init; }

    public static string RunKey(string configuration, string caseId, int repetition) => $"{configuration}/{caseId}/{repetition}";
}
