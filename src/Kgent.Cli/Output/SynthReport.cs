using Kgent.Kernel.Agent;
using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Output;

/// <summary>The JSON shape of <c>kgent synth --json</c>: the outcome, the program and every attempt with its prompt,
/// reply, feedback, notes and per-stage latency.</summary>
public sealed record SynthReport(string Request, string Model, bool Succeeded, string? Program, string? AnnotatedProgram, IReadOnlyList<object> Attempts)
{
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
            symbolic = a.Symbolic?.Overall.Json(),
            kernel = a.Load?.IsAccepted,
            milliseconds = a.Timings.ToDictionary(t => t.Stage, t => Math.Round(t.Elapsed.TotalMilliseconds, 1)),
            prompt = a.Prompt.UserMessage,
            reply = a.Reply,
            inputTokens = a.InputTokens,
            outputTokens = a.OutputTokens,
        })])
    {
        Error = error,
    };
}
