using System.Text.Json;
using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Tests.Support;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Tests.Agent;

/// <summary>The OpenAI-compatible provider (Semantic Kernel's connector) against a real loopback HTTP server.</summary>
public sealed class ModelProviderTests : IDisposable
{
    private const string Key = "sk-test-0123456789-secret";
    private readonly OpenAiStubServer server = new();

    public void Dispose() => server.Dispose();

    /// <remarks>The default timeout is long: these tests classify answers, and a test process busy with other tests can
    /// leave an answer's continuation waiting for a thread for seconds (the timeout test sets its own).</remarks>
    private ModelSettings Settings(double timeoutSeconds = 60, int retries = 2) =>
        new(server.Endpoint, "stub-model", Key, TimeSpan.FromSeconds(timeoutSeconds), retries, "test");

    private IChatClient Client(ModelSettings? settings = null) => ModelProvider.Create(settings ?? Settings(), Catalogs.Snapshot, SymbolicCases.Contracts);

    private static Task<ChatResponse> Ask(IChatClient client) => client.GetResponseAsync([new ChatMessage(ChatRole.User, "count file opens")]);

    [Fact]
    public async Task Success_returns_the_reply_and_token_counts_and_sends_the_key_only_as_a_bearer_token()
    {
        server.Then(OpenAiStubServer.Reply("hello from the stub"));

        var response = await Ask(Client());

        Assert.Equal("hello from the stub", response.Text);
        Assert.Equal(11, response.Usage?.InputTokenCount);
        var request = Assert.Single(server.Received);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal($"Bearer {Key}", request.Authorization);
        Assert.Contains("stub-model", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limit_is_retried_honouring_retry_after()
    {
        server.Then(new StubAnswer(429, RetryAfterSeconds: 1, Body: "{\"error\":\"slow down\"}")).Then(OpenAiStubServer.Reply("after the wait"));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var response = await Ask(Client());

        Assert.Equal("after the wait", response.Text);
        Assert.Equal(2, server.Received.Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed.TotalSeconds:F2} s, before the 1 s Retry-After");
    }

    [Fact]
    public async Task Server_errors_until_the_retries_run_out_give_a_clear_error()
    {
        for (var i = 0; i < 3; i++)
        {
            server.Then(new StubAnswer(500, RetryAfterSeconds: 0, Body: "{\"error\":\"boom\"}"));
        }

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => Ask(Client()));

        Assert.Contains("kept failing with 500 after 2 retries", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Received.Count);
    }

    [Fact]
    public async Task A_slow_server_is_a_timeout()
    {
        server.Then(new StubAnswer(200, Body: OpenAiStubServer.Completion("too late"), Delay: TimeSpan.FromSeconds(5)));

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => Ask(Client(Settings(timeoutSeconds: 0.5, retries: 0))));

        Assert.Contains("did not answer within 0.5 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_reported_as_not_json()
    {
        server.Then(new StubAnswer(200, Body: "{\"choices\": [ this is not json"));

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => Ask(Client()));

        Assert.True(error.Message.Contains("a body that is not JSON", StringComparison.Ordinal), error.Message);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"choices\": []}")]
    [InlineData("{\"choices\": [{}]}")]
    [InlineData("{\"object\": \"list\", \"data\": []}")]
    public async Task Json_that_is_not_a_chat_completion_says_what_was_expected(string body)
    {
        server.Then(new StubAnswer(200, Body: body));

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => Ask(Client()));

        Assert.Contains("JSON that is not an OpenAI chat completion (expected {\"choices\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_key_is_named_and_the_key_never_appears()
    {
        server.Then(new StubAnswer(401, Body: $"{{\"error\":{{\"message\":\"Incorrect API key provided: {Key}\"}}}}"));

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => Ask(Client()));

        Assert.Contains("rejected the API key (401)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_endpoint_is_named()
    {
        var closed = new ModelSettings("http://127.0.0.1:1/v1", "m", Key, TimeSpan.FromSeconds(5), 0, "test");

        var error = await Assert.ThrowsAsync<ModelProviderException>(() => Ask(Client(closed)));

        Assert.True(error.Message.Contains("cannot reach http://127.0.0.1:1/v1", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task The_loop_runs_over_the_provider_and_its_transcript_holds_no_key()
    {
        const string program = "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }";
        server.Then(OpenAiStubServer.Reply($"```bpftrace\n{program}\n```"));
        var loop = new SynthesisLoop(Client(), new SynthesisOptions(Catalog: Catalogs.Snapshot, Annotate: false, VerifyInKernel: false, ModelName: ModelProvider.Describe(Settings())));

        var result = await loop.RunAsync("count file opens by process");

        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.Equal(11, success.Attempts[0].InputTokens);
        var transcript = JsonSerializer.Serialize(Kgent.Cli.Output.SynthReport.From(result));
        Assert.DoesNotContain(Key, transcript, StringComparison.Ordinal);
        Assert.Contains("stub-model at http://127.0.0.1:", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_endpoint_the_offline_model_is_used()
    {
        Assert.IsType<OfflineRetrievalModel>(ModelProvider.Create(ModelSettings.Offline, Catalogs.Snapshot, SymbolicCases.Contracts));
        Assert.Equal(OfflineRetrievalModel.Name, ModelProvider.Describe(ModelSettings.Offline));
    }

    [Fact]
    public void Settings_come_from_the_config_file_then_the_environment_and_the_key_is_masked()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kgent-config-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "endpoint: http://localhost:11434/v1\nmodel: llama3\napi_key: sk-from-file-abcdef\ntimeout_seconds: 30\n");
        try
        {
            var (fromFile, problems) = ModelSettings.Load(file, new Dictionary<string, string?>());
            Assert.Empty(problems);
            Assert.Equal("llama3", fromFile.Model);
            Assert.Equal(TimeSpan.FromSeconds(30), fromFile.Timeout);
            Assert.Equal("sk-…cdef", fromFile.MaskedKey);

            var (overridden, _) = ModelSettings.Load(file, new Dictionary<string, string?> { ["KGENT_MODEL"] = "qwen", ["KGENT_MAX_RETRIES"] = "11" });
            Assert.Equal("qwen", overridden.Model);
            Assert.Equal(3, overridden.MaxRetries);
            Assert.Contains("environment", overridden.Source, StringComparison.Ordinal);

            var (bad, badProblems) = ModelSettings.Load(file, new Dictionary<string, string?> { ["KGENT_ENDPOINT"] = "not a url" });
            Assert.True(bad.IsOffline);
            Assert.Contains(badProblems, p => p.Contains("not an absolute URL", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
