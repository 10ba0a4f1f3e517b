using System.Collections.Immutable;

namespace Kgent.Kernel.Agent;

/// <summary>The loop's outcome. A closed family: <see cref="Succeeded"/> with the final, annotation-free program, or
/// <see cref="GaveUp"/> with the last candidate and all feedback.</summary>
public abstract record SynthesisResult(string Request, string Model, ImmutableArray<Attempt> Attempts)
{
    public ImmutableArray<Feedback> AllFeedback => [.. Attempts.SelectMany(a => a.Feedback)];

    /// <summary>The request's intent specification every candidate was checked against (null when the loop did not check intent).</summary>
    public Intent.IntentSpec? Spec { get; init; }

    /// <summary>Notes about the specification: the model's unusable reply and its problems, the fallback used.</summary>
    public ImmutableArray<string> SpecNotes { get; init; } = [];

    /// <summary>No enabled stage rejected the program. <see cref="Program"/> has its annotations stripped. Whether it is
    /// also <em>verified</em> — proved to do what was asked — is <see cref="IsVerified"/>: a program with nothing to prove
    /// or an undecided obligation is returned, and labelled as such, never as verified.</summary>
    public sealed record Succeeded(string Request, string Model, ImmutableArray<Attempt> Attempts, string Program, string? AnnotatedProgram, long? ExampleId)
        : SynthesisResult(Request, Model, Attempts)
    {
        public bool IsVerified => Attempts[^1].IsVerified;

        /// <summary>"verified", "nothing to prove", "unknown", "not checked" (configurations without the verifiers).</summary>
        public string Verdict => Attempts[^1].Verdict;
    }

    /// <summary>No attempt passed; <see cref="LastCandidate"/> is the last program the model wrote (if any).</summary>
    public sealed record GaveUp(string Request, string Model, ImmutableArray<Attempt> Attempts, string? LastCandidate)
        : SynthesisResult(Request, Model, Attempts);
}
