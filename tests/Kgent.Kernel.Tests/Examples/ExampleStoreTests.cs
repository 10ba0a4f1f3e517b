using System.Diagnostics;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Examples;

/// <summary>The SQLite example store: ranked retrieval, provenance, idempotent adds, all-or-nothing batches, crash safety.</summary>
public sealed class ExampleStoreTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-examples-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string StorePath => Path.Combine(directory, "examples.db");

    private static readonly Example[] Seed =
    [
        Example.New("count file opens by process name", "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }", "dataset:test"),
        Example.New("histogram of read sizes", "tracepoint:syscalls:sys_exit_read /args->ret > 0/ { @ = hist(args->ret); }", "dataset:test"),
        Example.New("trace TCP connects with addresses and ports", "tracepoint:sock:inet_sock_set_state /args->newstate == 2/ { printf(\"%d\\n\", args->dport); }", "dataset:test"),
        Example.New("print new processes with their command line", "tracepoint:syscalls:sys_enter_execve { printf(\"%s\\n\", str(args->filename)); }", "dataset:test"),
    ];

    [Fact]
    public void Search_ranks_the_closest_request_first()
    {
        using var store = ExampleStore.Open(StorePath);
        store.AddRange(Seed);

        var matches = store.Search("which processes open the most files", 3);

        Assert.Equal("count file opens by process name", matches[0].Example.Request);
        Assert.True(matches[0].Score > matches[^1].Score);
        Assert.Equal("trace TCP connects with addresses and ports", store.Search("tcp connections and their ports", 1)[0].Example.Request);
    }

    [Fact]
    public void Examples_keep_their_provenance_and_survive_reopening()
    {
        long id;
        using (var store = ExampleStore.Open(StorePath))
        {
            id = store.Add(Example.New("count syscalls", "tracepoint:raw_syscalls:sys_enter { @ = count(); }", "synthesis:offline retrieval model")).Id;
        }

        using var reopened = ExampleStore.Open(StorePath);
        var example = reopened.Get(id)!;
        Assert.Equal("synthesis:offline retrieval model", example.Source);
        Assert.Equal("count syscalls", example.Request);
        Assert.Equal(1, reopened.Count);
    }

    [Fact]
    public void Adding_the_same_pair_twice_keeps_one()
    {
        using var store = ExampleStore.Open(StorePath);
        var first = store.Add(Seed[0]);
        var second = store.Add(Seed[0] with { Source = "other" });

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("dataset:test", second.Source);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void A_batch_that_fails_half_way_adds_nothing()
    {
        using var store = ExampleStore.Open(StorePath);
        store.Add(Seed[0]);

        IEnumerable<Example> Failing()
        {
            yield return Seed[1];
            yield return Seed[2];
            throw new IOException("disk went away");
        }

        Assert.Throws<IOException>(() => store.AddRange(Failing()));
        Assert.Equal(1, store.Count);
        Assert.DoesNotContain(store.Search("histogram read sizes", 5), m => m.Example.Request == Seed[1].Request);
    }

    [Theory]
    [InlineData("\"unbalanced quote")]
    [InlineData("NEAR(a b) OR * AND (")]
    [InlineData("col:value -minus ^caret")]
    [InlineData("'; DROP TABLE examples; --")]
    public void Hostile_queries_are_plain_words(string query)
    {
        using var store = ExampleStore.Open(StorePath);
        store.AddRange(Seed);

        var matches = store.Search(query, 5);

        Assert.NotNull(matches);
        Assert.Equal(Seed.Length, store.Count);
    }

    [Fact]
    public void A_request_without_words_finds_nothing()
    {
        using var store = ExampleStore.Open(StorePath);
        store.AddRange(Seed);

        Assert.Empty(store.Search("!!! ??? the of", 5));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_clear_error()
    {
        File.WriteAllText(StorePath, "this is not sqlite, just text that is long enough to have a header page......................");

        var error = Assert.Throws<ExampleStoreException>(() => ExampleStore.Open(StorePath).Count);

        Assert.Contains(StorePath, error.Message, StringComparison.Ordinal);
    }

    [InstalledToolsFact]
    public void Installed_tools_import_with_their_header_descriptions()
    {
        var examples = InstalledToolImporter.Read(Support.Corpus.InstalledToolsDirectory);

        Assert.True(examples.Count >= 30, $"{examples.Count} tools had a description");
        var opensnoop = examples.Single(e => e.Source.EndsWith("/opensnoop.bt", StringComparison.Ordinal));
        Assert.Equal("Trace open() syscalls.", opensnoop.Request);
        Assert.All(examples, e => Assert.DoesNotContain("For Linux", e.Request, StringComparison.Ordinal));
    }

    [Fact]
    public void Header_description_spans_continuation_lines()
    {
        const string program = "/*\n * biosnoop.bt   Block I/O tracing tool, showing per I/O latency.\n *                For Linux, uses bpftrace, eBPF.\n *\n */\nBEGIN {}\n";

        Assert.Equal("Block I/O tracing tool, showing per I/O latency.", InstalledToolImporter.Describe(program, "biosnoop"));
        Assert.Null(InstalledToolImporter.Describe("BEGIN { }\n", "x"));
    }

    [Fact]
    public void A_crash_in_the_middle_of_an_import_loses_nothing_committed_and_leaves_no_partial_batch()
    {
        using (var store = ExampleStore.Open(StorePath))
        {
            store.AddRange(Seed);
        }

        var tools = Path.Combine(directory, "tools");
        Directory.CreateDirectory(tools);
        for (var i = 0; i < 500; i++)
        {
            File.WriteAllText(Path.Combine(tools, $"tool{i}.bt"), $"/*\n * tool{i}.bt   Tool number {i} counts things.\n */\nBEGIN {{ @n = {i}; }}\n");
        }

        // The CLI dies (Environment.FailFast, no cleanup) after writing 300 of the 500 rows of its one transaction.
        var cli = Path.Combine(AppContext.BaseDirectory, "kgent.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "examples", "import", tools, "--store", StorePath]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["KGENT_CRASH_AFTER_WRITES"] = "300";
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.NotEqual(0, process.ExitCode);
        Assert.True(File.Exists(StorePath + "-wal"), "the crash happened before anything reached the write-ahead log");
        using var reopened = ExampleStore.Open(StorePath);
        Assert.Equal("ok", reopened.IntegrityCheck());
        Assert.Equal(Seed.Length, reopened.Count);
        Assert.Equal(Seed[0].Request, reopened.Search("file opens by process", 1)[0].Example.Request);
    }
}
