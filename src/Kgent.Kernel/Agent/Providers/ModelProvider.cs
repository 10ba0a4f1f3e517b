using System.ClientModel.Primitives;
using System.ClientModel;
using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.KernelInfo.Catalog;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Microsoft.SemanticKernel;
using OpenAI;

namespace Kgent.Kernel.Agent.Providers;

/// <summary>Creates the chat client for the settings: the offline retrieval model when no endpoint is configured, else
/// Semantic Kernel's OpenAI connector on the endpoint (OpenAI, Azure OpenAI's v1 API, Ollama, vLLM, llama.cpp), with
/// Kgent's retry policy (429/5xx, Retry-After), a request timeout, and errors translated by <see cref="GuardedChatClient"/>.</summary>
public static class ModelProvider
{
    public static IChatClient Create(ModelSettings settings, ProbeCatalog? catalog, ContractSet? contracts, HttpMessageHandler? transport = null)
    {
        if (settings.IsOffline)
        {
            return new OfflineRetrievalModel(catalog, contracts, compose: !settings.IsRetrievalOnly);
        }

        Platform.Secrets.RegisterValue(settings.ApiKey);
        var service = new OpenAIChatCompletionService(settings.Model ?? "default", Client(settings, transport));
        return new GuardedChatClient(service.AsChatClient(), settings);
    }

    /// <summary>The embeddings model on the same endpoint (<c>KGENT_EMBEDDING_MODEL</c>), or null when none is configured
    /// (retrieval is then BM25 only).</summary>
    public static IEmbeddingGenerator<string, Embedding<float>>? CreateEmbeddings(ModelSettings settings, HttpMessageHandler? transport = null)
    {
        if (settings.IsOffline || string.IsNullOrWhiteSpace(settings.EmbeddingModel))
        {
            return null;
        }

        return new EndpointEmbeddings(Client(settings, transport).GetEmbeddingClient(settings.EmbeddingModel), settings.EmbeddingModel);
    }

    /// <summary>An OpenAI client on the endpoint with Kgent's retry handler (the SDK's own retries off) and the timeout.</summary>
    private static OpenAIClient Client(ModelSettings settings, HttpMessageHandler? transport)
    {
        var http = new HttpClient(new RetryHandler(settings.MaxRetries, transport ?? new HttpClientHandler()), disposeHandler: true) { Timeout = settings.Timeout };
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(settings.Endpoint!),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = settings.Timeout,
        };
        return new OpenAIClient(new ApiKeyCredential(settings.ApiKey is { Length: > 0 } key ? key : "none"), options);
    }

    /// <summary>How a transcript names the model: <c>offline retrieval model</c> or <c>MODEL at ENDPOINT</c>.</summary>
    public static string Describe(ModelSettings settings) =>
        settings.IsRetrievalOnly ? OfflineRetrievalModel.RetrievalOnlyName : settings.IsOffline ? OfflineRetrievalModel.Name : $"{settings.Model ?? "default"} at {settings.Endpoint}";
}
