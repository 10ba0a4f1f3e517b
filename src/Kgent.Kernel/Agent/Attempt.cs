using System.Collections.Immutable;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;

namespace Kgent.Kernel.Agent;

/// <summary>Everything one attempt did, for the transcript: the prompt, the model's raw replies, the candidate, each
/// stage's result, the feedback it produced, per-stage latency and token counts when the provider reports them.</summary>
public sealed record Attempt(
    int Number,
    Prompt Prompt,
    string Reply,
    string? Candidate,
    CheckResult? Check,
    string? ComprehensionReply,
    string? Annotated,
    SymbolicResult? Symbolic,
    LoadVerdict? Load,
    ImmutableArray<Feedback> Feedback,
    ImmutableArray<string> Notes,
    ImmutableArray<StageTiming> Timings,
    long? InputTokens,
    long? OutputTokens)
{
    /// <summary>The stage that stopped this attempt, or null when it succeeded.</summary>
    public string? FailedStage => Feedback.IsEmpty ? null : Feedback[0].Stage;
}

/// <summary>How long one stage of one attempt took.</summary>
public sealed record StageTiming(string Stage, TimeSpan Elapsed);
