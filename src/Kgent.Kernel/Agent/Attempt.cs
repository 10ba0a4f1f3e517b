using System.Collections.Immutable;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;

namespace Kgent.Kernel.Agent;

/// <summary>Everything one attempt did, for the transcript: the prompt, the model's raw replies, the candidate, each
/// stage's result (with the intent check: every obligation of the request's specification), the feedback it produced,
/// per-stage latency and token counts when the provider reports them.</summary>
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
    long? OutputTokens,
    Intent.IntentReport? Intent = null)
{
    /// <summary>What Kgent repaired in the model's candidate before checking it again (the attempt's candidate is the
    /// repaired program, its reply the model's own); empty when nothing was.</summary>
    public ImmutableArray<Repair.RepairStep> Repairs { get; init; } = [];

    /// <summary>The stage that stopped this attempt, or null when it succeeded.</summary>
    public string? FailedStage => Feedback.IsEmpty ? null : Feedback[0].Stage;

    /// <summary>The honest verdict on this attempt's program: the intent check's when there was one, else the symbolic
    /// verifier's ("verified" only when something was proved and nothing failed), else "not checked".</summary>
    public string Verdict => Intent is { } intent ? intent.VerdictText
        : Symbolic is { } symbolic ? Kgent.Kernel.Symbolic.VerdictKindNames.Display(symbolic.Overall)
        : "not checked";

    /// <summary>True only when the program was proved to do what was asked (or, without a specification, its assertions hold).</summary>
    public bool IsVerified => Intent?.IsVerified ?? Symbolic?.IsVerified ?? false;
}

/// <summary>How long one stage of one attempt took.</summary>
public sealed record StageTiming(string Stage, TimeSpan Elapsed);
