namespace Kgent.Kernel.Examples;

/// <summary>The example store cannot be opened or written: the path, and what to do.</summary>
public sealed class ExampleStoreException(string message, Exception? inner = null) : Exception(message, inner);
