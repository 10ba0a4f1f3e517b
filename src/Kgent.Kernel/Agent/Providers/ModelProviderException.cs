namespace Kgent.Kernel.Agent.Providers;

/// <summary>The model endpoint failed: a wrong key, an unknown model, an unreachable endpoint, a timeout, persistent
/// overload or a reply that is not a chat completion. The message names the problem and the fix and never holds the key.</summary>
public sealed class ModelProviderException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What the synthesis loop had done when the provider failed (its attempts, the failed one last), so the
    /// transcript is written on failure too; null outside the loop.</summary>
    public SynthesisResult? Partial { get; private init; }

    public ModelProviderException WithPartial(SynthesisResult partial) => new(Message, InnerException) { Partial = partial };
}
