using Kgent.Kernel.Agent;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Intent;

/// <summary>The model as the comprehension engine's intent producer, with a scripted chat client: a valid specification
/// is used for every candidate (a refuted one goes back as feedback and the next candidate is checked too); a reply
/// that does not follow the schema is fed back, and one that still does not falls back to the offline reader with a
/// note; a vacuous condition is dropped with a warning, and a specification that asks nothing verifies nothing.</summary>
public sealed class ModelIntentProducerTests
{
    private const string Request = "Show failed openat calls with the process name and the error number.";

    private const string FailedOpensSpec = """
        Here is the specification:
        ```json
        {
          "events": [ { "name": "file open", "words": "openat", "hooks": [ { "attachPoint": "tracepoint:syscalls:sys_exit_openat" } ] } ],
          "computation": { "kind": "print", "words": "show" },
          "filters": [ { "kind": "failure", "words": "failed" } ],
          "fields": [ { "role": "error", "words": "the error number" }, { "role": "process-name", "words": "the process name" } ]
        }
        ```
        """;

    private const string NoFilter = "tracepoint:syscalls:sys_exit_openat { printf(\"%s %d\\n\", comm, args->ret); }\n";
    private const string WithFilter = "tracepoint:syscalls:sys_exit_openat /args->ret < 0/ { printf(\"%s %d\\n\", comm, -args->ret); }\n";

    private static string Fenced(string program) => $"```bpftrace\n{program.TrimEnd()}\n```";

    private static SynthesisOptions Options => new(Catalog: Catalogs.Snapshot, Contracts: SymbolicCases.Contracts, VerifyInKernel: false, ModelName: "scripted");

    [Fact]
    public async Task A_valid_specification_refutes_the_candidate_without_the_filter_and_verifies_the_next()
    {
        // The loop asks for the specification once, then per attempt a candidate and its annotations.
        var model = new ScriptedChatClient(FailedOpensSpec, Fenced(NoFilter), "no annotations", Fenced(WithFilter), "no annotations");

        var result = await new SynthesisLoop(model, Options).RunAsync(Request);

        Assert.Equal("scripted", result.Spec!.Producer);
        Assert.Equal(FilterKind.Failure, Assert.Single(result.Spec.Filters).Kind);
        Assert.Empty(result.SpecNotes);
        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.True(success.IsVerified);
        Assert.Equal("verified", success.Verdict);
        Assert.Equal(WithFilter, success.Program);

        var refuted = success.Attempts[0];
        Assert.Equal("intent check", refuted.FailedStage);
        var feedback = Assert.Single(refuted.Feedback, f => f.Message.Contains("args->ret < 0", StringComparison.Ordinal));
        Assert.Equal(1, feedback.Line);
        Assert.Contains("\"failed\"", feedback.Message, StringComparison.Ordinal);
        Assert.Contains("also happens when args->ret < 0 is false", feedback.Message, StringComparison.Ordinal);

        // The feedback names the request's words and the line, and reaches the model's next synthesis prompt.
        Assert.Contains(feedback.ToPromptText(), model.UserMessage(3), StringComparison.Ordinal);
        Assert.Contains(success.Attempts[1].Intent!.Results, r => r.Obligation.Kind == ObligationKind.Filter && r.Outcome == ObligationOutcome.Proved);
    }

    [Fact]
    public async Task A_schema_invalid_reply_is_fed_back_and_the_corrected_one_is_used()
    {
        var model = new ScriptedChatClient("""{ "events": "file open", "computation": { "kind": "tally" }, "colour": "blue" }""", FailedOpensSpec);

        var reading = await new ModelIntentProducer(model, "scripted").ReadAsync(Request, Catalogs.Snapshot);

        Assert.NotNull(reading.Spec);
        Assert.Empty(reading.Problems);
        Assert.Equal(2, model.Requests.Count);
        var retry = model.UserMessage(1);
        Assert.Contains("$.colour: unknown member", retry, StringComparison.Ordinal);
        Assert.Contains("$.events", retry, StringComparison.Ordinal);
        Assert.Contains("tally", retry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_that_stays_invalid_falls_back_to_the_offline_reader_with_a_note()
    {
        var model = new ScriptedChatClient("I would rather not answer in JSON.", "{ \"events\": [ { \"name\": 7 } ] }", Fenced(WithFilter), "no annotations");

        var result = await new SynthesisLoop(model, Options).RunAsync(Request);

        Assert.Equal(OfflineIntentReader.Name, result.Spec!.Producer);
        var note = Assert.Single(result.SpecNotes);
        Assert.Contains("did not follow the schema after feedback", note, StringComparison.Ordinal);
        Assert.Contains("$.events[0]", note, StringComparison.Ordinal);
        Assert.True(Assert.IsType<SynthesisResult.Succeeded>(result).IsVerified);
    }

    [Fact]
    public void A_vacuous_hook_condition_is_dropped_with_a_warning()
    {
        const string vacuous = """
            { "events": [ { "name": "file open", "words": "opens", "hooks": [ { "attachPoint": "tracepoint:syscalls:sys_enter_openat", "condition": "pid == pid" } ] } ] }
            """;
        var spec = IntentJson.Read(vacuous, "trace file opens", "scripted", Catalogs.Snapshot, out var problems);
        Assert.Empty(problems);

        var report = IntentChecker.Check(spec!, BpftraceParser.Parse("tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", comm); }\n"), Catalogs.Snapshot, SymbolicCases.Contracts);

        var dropped = Assert.Single(report.Results, r => r.Outcome == ObligationOutcome.Dropped);
        Assert.Equal(ObligationKind.Filter, dropped.Obligation.Kind);
        var warning = Assert.Single(report.Warnings);
        Assert.Contains("pid == pid", warning, StringComparison.Ordinal);
        Assert.Contains("proves nothing", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_specification_that_asks_nothing_verifies_nothing()
    {
        // A reply with no events, no computation, nothing: the candidate passes every check, but it is not verified.
        var model = new ScriptedChatClient("{ }", Fenced(WithFilter), "```bpftrace\n" + WithFilter.Replace("{ printf", "{ assert(1 == 1); printf", StringComparison.Ordinal) + "```");

        var result = await new SynthesisLoop(model, Options).RunAsync(Request);

        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.False(success.IsVerified);
        Assert.Equal("nothing to prove", success.Verdict);
        var intent = success.Attempts[0].Intent!;
        Assert.Equal(IntentVerdict.NothingToProve, intent.Verdict);

        // The comprehension reply's assert(1 == 1) holds whatever the program does: dropped, with its warning in the notes.
        Assert.Contains(intent.Results, r => r.Obligation.Kind == ObligationKind.Assertion && r.Outcome == ObligationOutcome.Dropped);
        Assert.Contains(success.Attempts[0].Notes, n => n.Contains("assert(1 == 1)", StringComparison.Ordinal) && n.Contains("proves nothing", StringComparison.Ordinal));
    }
}
