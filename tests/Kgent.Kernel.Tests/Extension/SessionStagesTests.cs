using Kgent.Notebook;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Extension;

/// <summary>The notebook's prompt, candidate and annotate stages give what the loop gives for the same request and the
/// same configured model: both ask the workbench's pipeline, so a scripted chat client sees the same questions and the
/// cells show the loop's prompt, program and annotations.</summary>
public sealed class SessionStagesTests : IDisposable
{
    private const string Request = "trace TCP connects with their IPv4/IPv6 addresses and ports";
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-session-stages-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string CaseStudy(string name) => File.ReadAllText(SymbolicCases.CaseStudy(name));

    private static string Fenced(string program) => $"Here it is:\n```bpftrace\n{program.TrimEnd()}\n```\n";

    private ExampleStore Store(string name)
    {
        var store = ExampleStore.Open(Path.Combine(directory, name));
        EbpfnlDataset.SeedIfEmpty(store);
        return store;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Prompt_candidate_and_annotate_give_what_the_loop_gives(bool modelAnnotates)
    {
        var program = CaseStudy("inet_sock_set_state.bt");
        // The model's comprehension: the annotated program, or a reply with none (then both use the contracts').
        var comprehension = modelAnnotates ? Fenced(CaseStudy("inet_sock_set_state.annotated.bt")) : "I cannot annotate this.";
        using var loopStore = Store("loop.db");
        using var sessionStore = Store("session.db");

        // The loop: two replies that are no specification (the offline reader's is used), the program, the annotations.
        var loopModel = new ScriptedChatClient("no specification here", "still none", Fenced(program), comprehension);
        using var loopBench = Workbench.From(Catalogs.Snapshot, SymbolicCases.Contracts, loopStore, model: loopModel, modelName: "scripted");
        var attempt = (await loopBench.Loop(tries: 1, verifyInKernel: false).RunAsync(Request)).Attempts[0];

        var sessionModel = new ScriptedChatClient(Fenced(program), comprehension);
        using var sessionBench = Workbench.From(Catalogs.Snapshot, SymbolicCases.Contracts, sessionStore, model: sessionModel, modelName: "scripted");
        var session = new KgentSession(sessionBench);

        var prompt = await session.PromptAsync(Request);
        Assert.NotEmpty(prompt.Examples);
        Assert.Equal(attempt.Prompt.Boilerplate, prompt.Boilerplate);
        Assert.Equal(attempt.Prompt.UserMessage, prompt.UserMessage);

        Assert.Equal(attempt.Candidate, await session.CandidateAsync(Request));
        Assert.Equal(loopModel.UserMessage(2), sessionModel.UserMessage(0));

        var annotated = Assert.IsType<AnnotatedProgram>(await session.AnnotateAsync());
        Assert.Equal(loopModel.UserMessage(3), sessionModel.UserMessage(1));
        Assert.Equal(attempt.Annotated, annotated.Text);
        Assert.Equal(modelAnnotates, annotated.Text == CaseStudy("inet_sock_set_state.annotated.bt"));
    }
}
