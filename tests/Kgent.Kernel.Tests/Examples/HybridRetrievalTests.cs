using Kgent.Kernel.Agent;
using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Tests.Support;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Tests.Examples;

/// <summary>Embeddings stored as blobs, cosine in-process, fused with BM25; and the endpoint's embeddings through the provider.</summary>
public sealed class HybridRetrievalTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-hybrid-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>A deterministic embedding: one dimension per topic word, so "new programs started" is near "exec".</summary>
    private sealed class TopicEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        private static readonly string[][] Topics = [["exec", "program", "programs", "started", "launch"], ["open", "file", "files"], ["disk", "block", "io"]];

        public List<string> Calls { get; } = [];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Calls.AddRange(list);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(list.Select(v => new Embedding<float>(Vector(v)))));
        }

        public static float[] Vector(string text)
        {
            var words = text.ToLowerInvariant().Split(' ', '.', ',');
            return [.. Topics.Select(topic => (float)words.Count(topic.Contains) + 0.01f)];
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public void Vectors_find_an_example_the_words_miss()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "store.db"));
        var exec = store.Add(Example.New("trace exec calls", "tracepoint:syscalls:sys_enter_execve { @[comm] = count(); }\n", "t"));
        var open = store.Add(Example.New("count file opens by process", "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }\n", "t"));
        var disk = store.Add(Example.New("histogram of disk io sizes", "tracepoint:block:block_rq_issue { @ = hist(args->bytes); }\n", "t"));
        foreach (var example in new[] { exec, open, disk })
        {
            store.SetEmbedding(example.Id, TopicEmbeddings.Vector(example.Request));
        }

        const string request = "which new programs are started by process";
        Assert.DoesNotContain(store.Search(request, 3), m => m.Example.Id == exec.Id);

        var hybrid = store.SearchHybrid(request, TopicEmbeddings.Vector(request), 2);

        // Reciprocal-rank fusion: the example only the vectors find joins the results; the one both lists rank stays first.
        Assert.Equal([open.Id, exec.Id], hybrid.Select(m => m.Example.Id));
        Assert.Empty(store.WithoutEmbedding());
    }

    [Fact]
    public void Without_a_vector_hybrid_search_is_bm25()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "store.db"));
        store.Add(Example.New("count file opens by process", "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }\n", "t"));

        Assert.Equal(store.Search("file opens", 1)[0].Example.Id, store.SearchHybrid("file opens", null, 1)[0].Example.Id);
    }

    [Fact]
    public async Task The_loop_retrieves_with_embeddings_and_stores_the_result_with_its_vector()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "store.db"));
        var embeddings = new TopicEmbeddings();
        var model = new ScriptedChatClient("```bpftrace\ntracepoint:syscalls:sys_enter_execve { @[comm] = count(); }\n```");
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Store: store, Annotate: false, VerifyInKernel: false, Embeddings: embeddings));

        var result = await loop.RunAsync("count programs started by process");

        Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.Equal(["count programs started by process"], embeddings.Calls);
        Assert.Empty(store.WithoutEmbedding());
    }

    [Fact]
    public async Task Endpoint_embeddings_come_through_the_provider()
    {
        using var server = new OpenAiStubServer();
        server.Then(new StubAnswer(200, Body: "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.25,0.5,0.75]}],\"model\":\"embed\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}"));
        var settings = new ModelSettings(server.Endpoint, "chat", "sk-x", TimeSpan.FromSeconds(5), 0, "test", EmbeddingModel: "embed");

        using var generator = ModelProvider.CreateEmbeddings(settings)!;
        var vector = await generator.GenerateVectorAsync("count opens");

        Assert.Equal([0.25f, 0.5f, 0.75f], vector.ToArray());
        Assert.Equal("/v1/embeddings", Assert.Single(server.Received).Path);
        Assert.Null(ModelProvider.CreateEmbeddings(settings with { EmbeddingModel = null }));
    }
}
