using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Output;

/// <summary>The JSON shape of <c>kgent synth --json</c>: the outcome, the program and every attempt with its prompt,
/// reply, feedback, notes and per-stage latency. The attempts are JSON objects built member by member: a synthesis
/// writes one report, and the serializer's reflection over anonymous types cost it ~40 ms of start-up.</summary>
public sealed record SynthReport(string Request, string Model, bool Succeeded, string? Program, string? AnnotatedProgram, IReadOnlyList<JsonObject> Attempts)
{
    /// <summary>True only when the returned program was proved to do what was asked.</summary>
    public bool Verified { get; init; }

    /// <summary>The honest verdict on the returned program: "verified", "nothing to prove", "unknown", "not checked", or "gave up".</summary>
    public string Verdict { get; init; } = "gave up";

    /// <summary>The request's intent specification (JSON), when the loop checked intent.</summary>
    public JsonNode? Spec { get; init; }

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
        [.. result.Attempts.Select(Attempt)])
    {
        Error = error,
        Verified = result is SynthesisResult.Succeeded { IsVerified: true },
        Verdict = result is SynthesisResult.Succeeded succeeded ? succeeded.Verdict : "gave up",
        Spec = result.Spec is { } spec ? JsonNode.Parse(Kgent.Kernel.Intent.IntentJson.Write(spec)) : null,
        SpecNotes = result.SpecNotes,
    };

    /// <summary>The report as <c>kgent synth --json</c> prints it (indented, nulls kept, non-ASCII text as is).</summary>
    public string ToJson()
    {
        var report = new JsonObject
        {
            ["request"] = Request,
            ["model"] = Model,
            ["succeeded"] = Succeeded,
            ["program"] = Program,
            ["annotatedProgram"] = AnnotatedProgram,
            ["attempts"] = Array(Attempts.Select(a => a.DeepClone())),
            ["verified"] = Verified,
            ["verdict"] = Verdict,
            ["spec"] = Spec?.DeepClone(),
            ["specNotes"] = Array(SpecNotes.Select(n => (JsonNode?)n)),
            ["error"] = Error,
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            report.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static JsonObject Attempt(Attempt a) => new()
    {
        ["number"] = a.Number,
        ["failedStage"] = a.FailedStage,
        ["candidate"] = a.Candidate,
        ["check"] = a.Check is { } check ? Array(check.Diagnostics.Select(d => (JsonNode?)$"{d.Severity.ToString().ToLowerInvariant()} {d.Code}: {d.Message}")) : null,
        ["comprehensionReply"] = a.ComprehensionReply,
        ["annotated"] = a.Annotated,
        ["symbolicAssertions"] = a.Symbolic is { } symbolic
            ? Array(symbolic.Assertions.Select(x => (JsonNode?)new JsonObject
            {
                ["line"] = x.Position.Line,
                ["assertion"] = x.Text,
                ["verdict"] = x.Verdict.Kind.ToString().ToLowerInvariant(),
            }))
            : null,
        ["kernelStage"] = a.Load is Kgent.Kernel.KernelVerifier.LoadVerdict.Rejected r ? Kgent.Kernel.KernelVerifier.LoadDiagnostics.Stage(r.Stage) : null,
        ["feedback"] = Array(a.Feedback.Select(f => (JsonNode?)new JsonObject
        {
            ["stage"] = f.Stage,
            ["message"] = f.Message,
            ["line"] = f.Line,
            ["hint"] = f.Hint,
        })),
        ["notes"] = Array(a.Notes.Select(n => (JsonNode?)n)),
        ["repairs"] = Array(a.Repairs.Select(step => (JsonNode?)new JsonObject
        {
            ["kind"] = step.Kind,
            ["line"] = step.Line,
            ["from"] = step.From,
            ["to"] = step.To,
        })),
        ["promptCharacters"] = a.Prompt.Characters,
        ["promptTokens"] = a.InputTokens ?? a.Prompt.EstimatedTokens,
        ["promptTokensEstimated"] = a.InputTokens is null,
        ["symbolic"] = a.Symbolic?.Overall.Json(),
        ["verdict"] = a.Verdict,
        ["intent"] = a.Intent is { } intent
            ? Array(intent.Results.Select(o => (JsonNode?)new JsonObject
            {
                ["kind"] = Kgent.Kernel.Intent.IntentNames.Of(o.Obligation.Kind),
                ["asks"] = o.Obligation.Asks,
                ["words"] = o.Obligation.Words,
                ["outcome"] = o.Outcome.ToString().ToLowerInvariant(),
                ["line"] = o.Line,
                ["message"] = o.Message,
            }))
            : null,
        ["kernel"] = a.Load?.IsAccepted,
        ["milliseconds"] = Milliseconds(a),
        ["prompt"] = a.Prompt.UserMessage,
        ["reply"] = a.Reply,
        ["inputTokens"] = a.InputTokens,
        ["outputTokens"] = a.OutputTokens,
    };

    private static JsonObject Milliseconds(Attempt a)
    {
        var timings = new JsonObject();
        foreach (var timing in a.Timings)
        {
            timings[timing.Stage] = Math.Round(timing.Elapsed.TotalMilliseconds, 1);
        }

        return timings;
    }

    private static JsonArray Array(IEnumerable<JsonNode?> items) => [.. items];
}
