using System.Collections.Immutable;

namespace Kgent.Kernel.Agent;

/// <summary>The loop's outcome. A closed family: <see cref="Succeeded"/> with the final, annotation-free program, or
/// <see cref="GaveUp"/> with the last candidate and all feedback.</summary>
public abstract record SynthesisResult(string Request, string Model, ImmutableArray<Attempt> Attempts)
{
    public ImmutableArray<Feedback> AllFeedback => [.. Attempts.SelectMany(a => a.Feedback)];

    /// <summary>The program passed every enabled stage. <see cref="Program"/> has its annotations stripped.</summary>
    public sealed record Succeeded(string Request, string Model, ImmutableArray<Attempt> Attempts, string Program, string? AnnotatedProgram, long? ExampleId)
        : SynthesisResult(Request, Model, Attempts);

    /// <summary>No attempt passed; <see cref="LastCandidate"/> is the last program the model wrote (if any).</summary>
    public sealed record GaveUp(string Request, string Model, ImmutableArray<Attempt> Attempts, string? LastCandidate)
        : SynthesisResult(Request, Model, Attempts);
}
