using Kgent.Kernel.Agent;
using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Output;

/// <summary>The JSON shape of <c>kgent synth --json</c>: the outcome, the program and every attempt with its prompt,
/// reply, feedback, notes and per-stage latency.</summary>
public sealed record SynthReport(string Request, string Model, bool Succeeded, string? Program, string? AnnotatedProgram, IReadOnlyList<object> Attempts)
{
    /// <summary>True only when the returned program was proved to do what was asked.</summary>
    public bool Verified { get; init; }

    /// <summary>The honest verdict on the returned program: "verified", "nothing to prove", "unknown", "not checked", or "gave up".</summary>
    public string Verdict { get; init; } = "gave up";

    /// <summary>The request's intent specification (JSON), when the loop checked intent.</summary>
    public System.Text.Json.Nodes.JsonNode? Spec { get; init; }

    public IReadOnlyList<string> SpecNotes { get; init; } = [];

    /// <summary>Why the loop stopped early (the model provider failed), or null.</summary>
    public string? Error { get; init; }

    public static SynthReport From(SynthesisResult result, string? error = null) => new(
        result.Request,
        result.Model,
        result is SynthesisResult.Succeeded,
        result switch
        {
            SynthesisResult.Succeeded s => s.Program,
            SynthesisResult.GaveUp g => g.LastCandidate,
            _ => null,
        },
        (result as SynthesisResult.Succeeded)?.AnnotatedProgram,
        [.. result.Attempts.Select(a => (object)new
        {
            number = a.Number,
            failedStage = a.FailedStage,
            candidate = a.Candidate,
            check = a.Check?.Diagnostics.Select(d => $"{d.Severity.ToString().ToLowerInvariant()} {d.Code}: {d.Message}"),
            comprehensionReply = a.ComprehensionReply,
            annotated = a.Annotated,
            symbolicAssertions = a.Symbolic?.Assertions.Select(x => new { line = x.Position.Line, assertion = x.Text, verdict = x.Verdict.Kind.ToString().ToLowerInvariant() }),
            kernelStage = a.Load is Kgent.Kernel.KernelVerifier.LoadVerdict.Rejected r ? Kgent.Kernel.KernelVerifier.LoadDiagnostics.Stage(r.Stage) : null,
            feedback = a.Feedback.Select(f => new { stage = f.Stage, message = f.Message, line = f.Line, hint = f.Hint }),
            notes = a.Notes,
            repairs = a.Repairs.Select(r => new { kind = r.Kind, line = r.Line, from = r.From, to = r.To }),
            promptCharacters = a.Prompt.Characters,
            promptTokens = a.InputTokens ?? a.Prompt.EstimatedTokens,
            promptTokensEstimated = a.InputTokens is null,
            symbolic = a.Symbolic?.Overall.Json(),
            verdict = a.Verdict,
            intent = a.Intent?.Results.Select(r => new
            {
                kind = Kgent.Kernel.Intent.IntentNames.Of(r.Obligation.Kind),
                asks = r.Obligation.Asks,
                words = r.Obligation.Words,
                outcome = r.Outcome.ToString().ToLowerInvariant(),
                line = r.Line,
                message = r.Message,
            }),
            kernel = a.Load?.IsAccepted,
            milliseconds = a.Timings.ToDictionary(t => t.Stage, t => Math.Round(t.Elapsed.TotalMilliseconds, 1)),
            prompt = a.Prompt.UserMessage,
            reply = a.Reply,
            inputTokens = a.InputTokens,
            outputTokens = a.OutputTokens,
        })])
    {
        Error = error,
        Verified = result is SynthesisResult.Succeeded { IsVerified: true },
        Verdict = result is SynthesisResult.Succeeded succeeded ? succeeded.Verdict : "gave up",
        Spec = result.Spec is { } spec ? System.Text.Json.Nodes.JsonNode.Parse(Kgent.Kernel.Intent.IntentJson.Write(spec)) : null,
        SpecNotes = result.SpecNotes,
    };
}
