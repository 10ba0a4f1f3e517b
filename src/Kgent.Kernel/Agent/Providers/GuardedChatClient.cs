using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Kgent.Kernel.Agent.Providers;

/// <summary>Turns every failure of the underlying client into a <see cref="ModelProviderException"/> that says what went
/// wrong and what to do, with the API key scrubbed from every message, and scrubs every secret from the replies (a model
/// that echoes the key must not get it into a transcript, the example store or the terminal).</summary>
public sealed class GuardedChatClient(IChatClient inner, ModelSettings settings) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            response.Usage ??= UsageOf(response);
            foreach (var content in response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.TextContent>())
            {
                content.Text = Platform.Secrets.Scrub(content.Text ?? string.Empty);
            }

            return response;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Translate(e);
        }
    }

    private ModelProviderException Translate(Exception e)
    {
        var where = $"{settings.Endpoint} (model {settings.Model ?? "unset"})";
        var chain = new List<Exception>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            chain.Add(current);
        }

        var status = chain.Select(x => x switch
        {
            HttpOperationException { StatusCode: { } code } => (int)code,
            System.ClientModel.ClientResultException { Status: > 0 } result => result.Status,
            _ => 0,
        }).FirstOrDefault(code => code > 0);
        var unreachable = chain.Any(x => x is HttpRequestException or System.Net.Sockets.SocketException)
            || chain.Any(x => x.Message.Contains("Connection refused", StringComparison.Ordinal) || x.Message.Contains("Name or service not known", StringComparison.Ordinal));
        var message = status switch
        {
            (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden =>
                $"{where} rejected the API key ({status}); check KGENT_API_KEY or api_key in {ModelSettings.DefaultConfigPath} (kgent config shows it masked)",
            (int)HttpStatusCode.NotFound => $"{where} answered 404: the model or the endpoint path is unknown; check KGENT_MODEL and that the endpoint ends in /v1",
            (int)HttpStatusCode.TooManyRequests => $"{where} kept answering 429 (rate limited) after {settings.MaxRetries} retries; wait and retry, or raise max_retries",
            >= 500 => $"{where} kept failing with {status} after {settings.MaxRetries} retries; the server is down or overloaded",
            > 0 => $"{where} answered {status}: {Scrub(e.Message)}",
            _ when chain.Any(x => x is TaskCanceledException or TimeoutException) =>
                $"{where} did not answer within {settings.Timeout.TotalSeconds:0.#} s; raise KGENT_TIMEOUT or check the server",
            _ when unreachable => $"cannot reach {settings.Endpoint}: {Scrub(chain[^1].Message)}; check KGENT_ENDPOINT and that the server is running",
            _ when chain.Any(x => x is System.Text.Json.JsonException || x.GetType().Name.Contains("JsonReader", StringComparison.Ordinal)) =>
                $"{where} answered with a body that is not JSON; check that KGENT_ENDPOINT is an OpenAI-compatible API (it usually ends in /v1)",
            _ => $"{where} answered with JSON that is not an OpenAI chat completion (expected {{\"choices\": [{{\"message\": {{\"role\": \"assistant\", \"content\": \"...\"}}}}]}}); " +
                "check that KGENT_ENDPOINT is an OpenAI-compatible API (it usually ends in /v1)",
        };
        return new ModelProviderException(Platform.Secrets.Scrub(Scrub(message)), null);
    }

    /// <summary>Semantic Kernel's adapter keeps OpenAI's token usage on the raw completion and in the message's
    /// additional properties, not in <see cref="ChatResponse.Usage"/>.</summary>
    private static UsageDetails? UsageOf(ChatResponse response)
    {
        var usage = (response.RawRepresentation as OpenAI.Chat.ChatCompletion)?.Usage
            ?? response.Messages.Select(m => m.AdditionalProperties?.GetValueOrDefault("Usage")).OfType<OpenAI.Chat.ChatTokenUsage>().FirstOrDefault();
        return usage is null
            ? null
            : new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount };
    }

    private string Scrub(string text) => settings.ApiKey is { Length: > 0 } key ? text.Replace(key, settings.MaskedKey, StringComparison.Ordinal) : text;
}
