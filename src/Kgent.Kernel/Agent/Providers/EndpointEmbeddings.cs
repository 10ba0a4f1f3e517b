using Microsoft.Extensions.AI;
using OpenAI.Embeddings;

namespace Kgent.Kernel.Agent.Providers;

/// <summary>Embeddings from the configured OpenAI-compatible endpoint (<c>/v1/embeddings</c>) through the OpenAI SDK's
/// embedding client, as a Microsoft.Extensions.AI embedding generator. Semantic Kernel's own embedding connector is
/// still experimental (SKEXP0010), so Kgent does not build on it.</summary>
internal sealed class EndpointEmbeddings(EmbeddingClient client, string model) : IEmbeddingGenerator<string, Embedding<float>>
{
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await client.GenerateEmbeddingsAsync([.. values], cancellationToken: cancellationToken).ConfigureAwait(false);
        return new GeneratedEmbeddings<Embedding<float>>(result.Value.Select(e => new Embedding<float>(e.ToFloats()) { ModelId = model }));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("openai-compatible", null, model) : null;

    public void Dispose()
    {
    }
}
