using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Tests.Support;

/// <summary>A chat client that answers with scripted replies in order and records every request, for testing the loop
/// without a model. Running out of replies is a test failure, reported as such.</summary>
public sealed class ScriptedChatClient(params string[] replies) : IChatClient
{
    private readonly Queue<string> replies = new(replies);

    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add([.. messages]);
        if (replies.Count == 0)
        {
            throw new InvalidOperationException($"the scripted chat client ran out of replies at request {Requests.Count}");
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, replies.Dequeue()))
        {
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the loop does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    /// <summary>The user message of request <paramref name="index"/>.</summary>
    public string UserMessage(int index) => Requests[index].Last(m => m.Role == ChatRole.User).Text;
}
