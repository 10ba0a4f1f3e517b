using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Kgent.Kernel.KernelInfo.Catalog;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Intent;

/// <summary>The model's intent producer: asks the model for the specification as JSON (<see cref="IntentPrompt"/>),
/// validates the reply against the schema, and when it does not follow it asks once more with the problems as
/// feedback. A reply that is still unusable gives no specification, with every problem. The offline model answers
/// this prompt with <see cref="OfflineIntentReader"/>'s specification.</summary>
public sealed partial class ModelIntentProducer(IChatClient model, string producer = "model", int rounds = 2) : IIntentProducer
{
    public async Task<IntentReading> ReadAsync(string request, ProbeCatalog? catalog, CancellationToken cancellation = default)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, IntentPrompt.System), new(ChatRole.User, IntentPrompt.Build(request, catalog)) };
        var problems = ImmutableArray<string>.Empty;
        for (var round = 1; round <= Math.Max(1, rounds); round++)
        {
            var response = await model.GetResponseAsync(messages, cancellationToken: cancellation).ConfigureAwait(false);
            var reply = response.Text ?? string.Empty;
            var spec = JsonOf(reply) is { } json ? IntentJson.Read(json, request, producer, catalog, out problems) : null;
            if (JsonOf(reply) is null)
            {
                problems = [reply.Trim().Length == 0 ? "the reply was empty" : "the reply held no JSON object"];
            }

            if (spec is not null)
            {
                return new IntentReading(spec, [], producer);
            }

            messages.Add(new ChatMessage(ChatRole.Assistant, reply));
            messages.Add(new ChatMessage(ChatRole.User, IntentPrompt.Retry(request, reply, problems)));
        }

        return new IntentReading(null, problems, producer);
    }

    /// <summary>The JSON object in a reply: a ```json block, else the text from the first '{' to the last '}'.</summary>
    internal static string? JsonOf(string reply)
    {
        if (JsonBlock().Match(reply) is { Success: true } block)
        {
            return block.Groups[1].Value;
        }

        var start = reply.IndexOf('{', StringComparison.Ordinal);
        var end = reply.LastIndexOf('}');
        return start >= 0 && end > start ? reply[start..(end + 1)] : null;
    }

    [GeneratedRegex(@"```(?:json)?\s*\n(\{.*?\})\s*\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
