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

    [Fact]
    public void C_examples_do_not_change_how_bpftrace_examples_rank()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "rank.db"));
        EbpfnlDataset.SeedIfEmpty(store);
        var queries = new[] { "count file opens per process name", "trace TCP connects with their ports", "histogram of read sizes" };
        var before = queries.Select(q => store.Search(q, 5).Select(m => (m.Example.Id, m.Score)).ToList()).ToList();

        Assert.True(LibbpfExamples.SeedIfMissing(store) >= 30);

        var after = queries.Select(q => store.Search(q, 5).Select(m => (m.Example.Id, m.Score)).ToList()).ToList();
        Assert.Equal(before, after);
        Assert.NotEmpty(before[0]);
    }

    [Fact]
    public void A_store_with_the_older_single_index_gets_one_index_per_language()
    {
        var path = Path.Combine(directory, "single.db");
        const string Program = "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }";
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // The schema as it was: one index over every row, fed by examples_ai/examples_ad.
            command.CommandText = """
                CREATE TABLE examples (id INTEGER PRIMARY KEY AUTOINCREMENT, request TEXT NOT NULL, program TEXT NOT NULL, source TEXT NOT NULL,
                    added_at TEXT NOT NULL, embedding BLOB NULL, language TEXT NOT NULL DEFAULT 'bpftrace');
                CREATE VIRTUAL TABLE examples_fts USING fts5(request, program, content='examples', content_rowid='id', tokenize = "porter unicode61 tokenchars '_'");
                CREATE TRIGGER examples_ai AFTER INSERT ON examples BEGIN
                    INSERT INTO examples_fts(rowid, request, program) VALUES (new.id, new.request, new.program);
                END;
                CREATE TRIGGER examples_ad AFTER DELETE ON examples BEGIN
                    INSERT INTO examples_fts(examples_fts, rowid, request, program) VALUES ('delete', old.id, old.request, old.program);
                END;
                INSERT INTO examples(request, program, source, added_at) VALUES ('count file opens by process', 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }', 'old', '2026-01-01T00:00:00.0000000+00:00');
                INSERT INTO examples(request, program, source, added_at, language) VALUES ('count file opens by process in C', 'SEC("tp/syscalls/sys_enter_openat") int f(void *c) { return 0; }', 'old', '2026-01-01T00:00:00.0000000+00:00', 'c');
                """;
            command.ExecuteNonQuery();
        }

        double migrated;
        using (var store = ExampleStore.Open(path))
        {
            Assert.Equal(Example.Bpftrace, Assert.Single(store.Search("count file opens", 5)).Example.Language);
            Assert.Equal(Example.C, Assert.Single(store.Search("count file opens", 5, Example.C)).Example.Language);
            migrated = store.Search("count file opens", 5)[0].Score;
            // New examples go to their own language's index.
            store.Add(Example.New("count file opens by process name", Program + "\n", "test"));
            Assert.Equal(2, store.Search("count file opens", 5).Count);
            Assert.Single(store.Search("count file opens", 5, Example.C));
        }

        // The bpftrace score is the one a store of bpftrace rows alone gives: the C row is not in its statistics.
        using var alone = ExampleStore.Open(Path.Combine(directory, "alone.db"));
        alone.Add(Example.New("count file opens by process", Program, "old"));
        Assert.Equal(alone.Search("count file opens", 5)[0].Score, migrated, 9);
        using var reopened = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        reopened.Open();
        using var triggers = reopened.CreateCommand();
        triggers.CommandText = "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name)";
        Assert.Equal("examples_ad_bpftrace examples_ad_c examples_ai_bpftrace examples_ai_c", triggers.ExecuteScalar());
    }

    [ClangFact]
    public async Task The_c_loop_shows_the_stores_c_examples_and_never_its_bpftrace_ones()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "loop.db"));
        store.Add(Example.New("count close calls per process", "tracepoint:syscalls:sys_enter_close { @[comm] = count(); }\n", "test"));
        LibbpfExamples.SeedIfMissing(store);
        var model = new ScriptedChatClient($"```c\n{CFixtures.Load("accepted", "opens-by-comm.bpf.c").Text}```");

        // One try: the scripted program counts opens, which the intent check refutes for this request.
        await new CSynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Live, Store: store, Intent: new OfflineIntentReader(), VerifyInKernel: false, Tries: 1))
            .RunAsync("Count close() calls per process name.");

        var user = model.UserMessage(0);
        Assert.Contains("```c\n// Count close() calls per process name.", user, StringComparison.Ordinal);
        Assert.DoesNotContain("```bpftrace", user, StringComparison.Ordinal);
        Assert.DoesNotContain("tracepoint:syscalls:sys_enter_close {", user, StringComparison.Ordinal);
    }
}
