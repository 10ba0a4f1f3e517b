namespace Kgent.Kernel.Agent.Providers;

/// <summary>The model endpoint failed: a wrong key, an unknown model, an unreachable endpoint, a timeout, persistent
/// overload or a reply that is not a chat completion. The message names the problem and the fix and never holds the key.</summary>
public sealed class ModelProviderException(string message, Exception? inner = null) : Exception(message, inner);
