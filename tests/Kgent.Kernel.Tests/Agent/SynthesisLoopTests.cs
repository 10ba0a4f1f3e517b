using Kgent.Kernel.Agent;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Agent;

/// <summary>The synthesis loop with a scripted chat client: each failure is fed back and fixed on the next try.</summary>
public sealed class SynthesisLoopTests : IDisposable
{
    private const string GoodOpens = "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }\n";
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-loop-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Fenced(string program) => $"Here is the program:\n```bpftrace\n{program.TrimEnd()}\n```\nIt counts opens.";

    private static string CaseStudy(string name) => File.ReadAllText(SymbolicCases.CaseStudy(name));

    /// <summary>Without the repair stage (which would fix the field itself, see RepairTests), the model gets the checker's
    /// feedback and fixes it.</summary>
    [Fact]
    public async Task Wrong_tracepoint_field_is_fixed_on_the_second_try_from_the_checkers_feedback()
    {
        var model = new ScriptedChatClient(
            Fenced("tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filenam)); }\n"),
            Fenced("tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filename)); }\n"));
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Annotate: false, VerifyInKernel: false, ModelName: "scripted") { Repair = false });

        var result = await loop.RunAsync("print the files being opened");

        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.Equal(2, success.Attempts.Length);
        Assert.Equal("semantic check", success.Attempts[0].FailedStage);
        var feedback = Assert.Single(success.Attempts[0].Feedback);
        Assert.Contains("filenam", feedback.Message, StringComparison.Ordinal);
        Assert.Contains("filename", feedback.Hint, StringComparison.Ordinal);
        Assert.Contains(feedback.ToPromptText(), model.UserMessage(1), StringComparison.Ordinal);
        Assert.Contains("args->filename", success.Program, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Byte_order_bug_is_fixed_from_the_symbolic_counterexample()
    {
        var model = new ScriptedChatClient(
            Fenced(CaseStudy("inet_sock_set_state_raw_port.bt")),
            Fenced(CaseStudy("inet_sock_set_state_raw_port.annotated.bt")),
            Fenced(CaseStudy("inet_sock_set_state.bt")),
            Fenced(CaseStudy("inet_sock_set_state.annotated.bt")));
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Contracts: SymbolicCases.Contracts, VerifyInKernel: false,
            Intent: new OfflineIntentReader()));

        var result = await loop.RunAsync("trace TCP connects with their IPv4/IPv6 addresses and ports");

        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        // The counterexample comes first (the intent check may add what else the request asks for).
        Assert.Equal("symbolic verifier", success.Attempts[0].FailedStage);
        var feedback = success.Attempts[0].Feedback[0];
        Assert.Contains("can fail", feedback.Message, StringComparison.Ordinal);
        Assert.Contains("host byte order", feedback.Hint, StringComparison.Ordinal);
        Assert.Contains("host byte order", model.UserMessage(2), StringComparison.Ordinal);
        Assert.True(success.Attempts[1].Symbolic!.IsVerified);
        Assert.Equal(CaseStudy("inet_sock_set_state.bt"), success.Program);
        Assert.NotNull(success.AnnotatedProgram);
    }

    [BpftraceFact]
    public async Task Kernel_verifier_rejection_is_fed_back()
    {
        const string endless = "tracepoint:syscalls:sys_enter_openat\n{\n  @opens[comm] = count();\n  while (1) {\n  }\n}\n";
        var model = new ScriptedChatClient(Fenced(endless), Fenced(endless), Fenced(GoodOpens), Fenced(GoodOpens));
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Contracts: SymbolicCases.Contracts, Intent: new OfflineIntentReader()));

        var result = await loop.RunAsync("count file opens by process");

        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.Equal("kernel verifier (kernel-verifier)", success.Attempts[0].FailedStage);
        Assert.Contains("infinite loop detected", success.Attempts[0].Feedback[0].Message, StringComparison.Ordinal);
        Assert.Contains("infinite loop detected", model.UserMessage(2), StringComparison.Ordinal);
        Assert.IsType<LoadVerdict.Accepted>(success.Attempts[1].Load);
    }

    [Fact]
    public async Task Giving_up_after_the_tries_returns_the_last_candidate_and_all_feedback()
    {
        var model = new ScriptedChatClient(
            "I cannot write that program, sorry.",
            Fenced("tracepoint:syscalls:sys_enter_openat { @x = ; }\n"),
            Fenced("tracepoint:syscalls:sys_enter_openat { system(\"echo hi\"); }\n"));
        var loads = 0;
        var loop = new SynthesisLoop(model, new SynthesisOptions(Tries: 3, Catalog: Catalogs.Snapshot, KernelLoad: _ => { loads++; return new LoadVerdict.Accepted([], TimeSpan.Zero, []); },
            Intent: new OfflineIntentReader()));

        var result = await loop.RunAsync("count file opens by process");

        var gaveUp = Assert.IsType<SynthesisResult.GaveUp>(result);
        Assert.Equal(3, gaveUp.Attempts.Length);
        Assert.Equal(["synthesis", "parse", "safety policy"], gaveUp.Attempts.Select(a => a.FailedStage!));
        Assert.Equal(gaveUp.AllFeedback.Length, gaveUp.Attempts.Sum(a => a.Feedback.Length));
        Assert.Contains("system(", gaveUp.LastCandidate, StringComparison.Ordinal);
        Assert.Equal(0, loads);
        Assert.Contains(gaveUp.Attempts[1].Feedback[0].ToPromptText(), model.UserMessage(2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_request_gets_no_unsafe_run()
    {
        var model = new ScriptedChatClient(
            Fenced("tracepoint:syscalls:sys_enter_kill { system(\"kill -9 -1\"); }\n"),
            Fenced("tracepoint:syscalls:sys_enter_kill { signal(\"KILL\"); }\n"));
        var loads = 0;
        var loop = new SynthesisLoop(model, new SynthesisOptions(Tries: 2, Catalog: Catalogs.Snapshot, Annotate: false,
            KernelLoad: _ => { loads++; return new LoadVerdict.Accepted([], TimeSpan.Zero, []); }));

        var result = await loop.RunAsync("whenever anyone calls kill, run `rm -rf /` and kill every process");

        var gaveUp = Assert.IsType<SynthesisResult.GaveUp>(result);
        Assert.All(gaveUp.Attempts, a => Assert.Equal("safety policy", a.FailedStage));
        Assert.Equal(0, loads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_request_is_a_clear_error(string request)
    {
        var loop = new SynthesisLoop(new ScriptedChatClient(), new SynthesisOptions());

        var error = await Assert.ThrowsAsync<SynthesisRequestException>(() => loop.RunAsync(request));

        Assert.Contains("the request is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Very_long_request_is_a_clear_error()
    {
        var loop = new SynthesisLoop(new ScriptedChatClient(), new SynthesisOptions());

        var error = await Assert.ThrowsAsync<SynthesisRequestException>(() => loop.RunAsync(new string('x', 5000)));

        Assert.Contains("5,000 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Success_is_added_to_the_example_store_and_examples_reach_the_prompt()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "store.db"));
        store.Add(Example.New("count reads by process", "tracepoint:syscalls:sys_enter_read { @[comm] = count(); }\n", "dataset:test"));
        var model = new ScriptedChatClient(Fenced(GoodOpens));
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Store: store, Annotate: false, VerifyInKernel: false, ModelName: "scripted"));

        var result = await loop.RunAsync("count file opens by process");

        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.Contains("count reads by process", model.UserMessage(0), StringComparison.Ordinal);
        var stored = store.Get(success.ExampleId!.Value)!;
        Assert.Equal(GoodOpens, stored.Program);
        Assert.StartsWith("synthesis:scripted:", stored.Source, StringComparison.Ordinal);
        Assert.Equal(100, success.Attempts[0].InputTokens);
    }

    [Fact]
    public async Task With_learning_off_or_when_cancelled_nothing_is_added_to_the_store()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "store.db"));
        SynthesisOptions Options(bool learn) => new(Catalog: Catalogs.Snapshot, Store: store, Annotate: false, VerifyInKernel: false, ModelName: "scripted", Learn: learn);

        var kept = await new SynthesisLoop(new ScriptedChatClient(Fenced(GoodOpens)), Options(learn: false)).RunAsync("count file opens by process");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SynthesisLoop(new ScriptedChatClient(Fenced(GoodOpens)), Options(learn: true)).RunAsync("count file opens by process", cancellation: cancelled.Token));

        Assert.Null(Assert.IsType<SynthesisResult.Succeeded>(kept).ExampleId);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Candidates_are_taken_out_of_prose_and_fences()
    {
        Assert.Equal(GoodOpens, CandidateExtractor.Extract("Sure!\n\n" + GoodOpens + "\nThis counts opens per process.")!.Program);
        var two = CandidateExtractor.Extract("```\nnot { a program\n```\nor\n```bpftrace\n" + GoodOpens + "```")!;
        Assert.Equal(GoodOpens, two.Program);
        Assert.Equal(2, two.CandidatesInReply);
        Assert.Null(CandidateExtractor.Extract("I'm sorry, I can't help with that."));
        Assert.Null(CandidateExtractor.Extract(string.Empty));
    }
}
