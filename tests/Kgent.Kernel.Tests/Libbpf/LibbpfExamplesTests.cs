using Kgent.Kernel.Agent;
using Kgent.Kernel.Evaluation;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Libbpf.Agent;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Verify;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>The libbpf C examples (datasets/libbpf-examples) and the store's languages: every example compiles and loads
/// on this kernel, none repeats an evaluation request, and retrieval keeps the two languages apart.</summary>
[Collection(KernelCollection.Name)]
public sealed class LibbpfExamplesTests : IDisposable
{
    private static readonly Lazy<IReadOnlyList<(string Id, Example Example)>> Examples = new(() =>
    {
        var (examples, problems) = LibbpfExamples.Load(LibbpfExamples.Locate()!);
        Assert.Empty(problems);
        return examples;
    });

    private readonly string directory = Directory.CreateTempSubdirectory("kgent-c-examples-").FullName;

    public static TheoryData<string> Ids() => [.. LibbpfExamples.Load(LibbpfExamples.Locate()!).Examples.Select(e => e.Id)];

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void At_least_thirty_examples_none_near_an_evaluation_request()
    {
        Assert.True(Examples.Value.Count >= 30, $"{Examples.Value.Count} examples");
        Assert.All(Examples.Value, e => Assert.Equal(Example.C, e.Example.Language));
        var cases = EvalSuiteLoader.Load(Evaluation.EvalSuiteTests.SuiteDirectory).Cases;
        var close = cases.SelectMany(c => Examples.Value.Select(e => (c.Id, e.Id, Similarity: RequestSimilarity.Jaccard(c.Request, e.Example.Request))))
            .Where(p => p.Similarity >= 0.7).ToList();
        Assert.Empty(close);
    }

    [LibbpfTheory]
    [MemberData(nameof(Ids))]
    public void Example_compiles_checks_and_loads(string id)
    {
        var example = Examples.Value.Single(e => e.Id == id).Example;
        using var build = ClangCompiler.Compile(new Kgent.Kernel.Bpftrace.Text.SourceText(example.Program, id + ".bpf.c"));

        var verdict = CKernelLoader.Verify(build, new CVerifyOptions(Catalog: Catalogs.Live));

        Assert.True(verdict.IsAccepted, verdict.ToString());
    }

    [Fact]
    public void Retrieval_keeps_the_languages_apart()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "store.db"));
        store.Add(Example.New("count file opens by process", "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }\n", "test"));
        Assert.True(LibbpfExamples.SeedIfMissing(store) >= 30);

        var bpftrace = store.Search("count close calls per process name", 5);
        var c = store.Search("count close calls per process name", 5, Example.C);

        Assert.All(bpftrace, m => Assert.Equal(Example.Bpftrace, m.Example.Language));
        Assert.NotEmpty(c);
        Assert.All(c, m => Assert.Equal(Example.C, m.Example.Language));
        Assert.Contains("sys_enter_close", c[0].Example.Program, StringComparison.Ordinal);
        Assert.Equal(0, LibbpfExamples.SeedIfMissing(store));
    }

    [Fact]
    public void A_store_made_before_languages_is_read_as_bpftrace()
    {
        var path = Path.Combine(directory, "old.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE examples (id INTEGER PRIMARY KEY AUTOINCREMENT, request TEXT NOT NULL, program TEXT NOT NULL, source TEXT NOT NULL, added_at TEXT NOT NULL, embedding BLOB NULL);" +
                "INSERT INTO examples(request, program, source, added_at) VALUES ('count opens', 'tracepoint:syscalls:sys_enter_openat { @ = count(); }', 'old', '2026-01-01T00:00:00.0000000+00:00');";
            command.ExecuteNonQuery();
        }

        using var store = ExampleStore.Open(path);

        Assert.Equal(Example.Bpftrace, Assert.Single(store.List()).Language);
        Assert.Equal(1, store.CountOf(Example.Bpftrace));
    }

    [ClangFact]
    public async Task The_c_loop_shows_the_stores_c_examples_and_never_its_bpftrace_ones()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "loop.db"));
        store.Add(Example.New("count close calls per process", "tracepoint:syscalls:sys_enter_close { @[comm] = count(); }\n", "test"));
        LibbpfExamples.SeedIfMissing(store);
        var model = new ScriptedChatClient($"```c\n{CFixtures.Load("accepted", "opens-by-comm.bpf.c").Text}```");

        await new CSynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Live, Store: store, Intent: new OfflineIntentReader(), VerifyInKernel: false))
            .RunAsync("Count close() calls per process name.");

        var user = model.UserMessage(0);
        Assert.Contains("```c\n// Count close() calls per process name.", user, StringComparison.Ordinal);
        Assert.DoesNotContain("```bpftrace", user, StringComparison.Ordinal);
        Assert.DoesNotContain("tracepoint:syscalls:sys_enter_close {", user, StringComparison.Ordinal);
    }
}
