namespace Kgent.Kernel.Composition;

/// <summary>What a session needs cannot be loaded (no catalog, unusable settings or contracts, an example store that
/// cannot be opened): the message says what and how to fix it, in one line.</summary>
public sealed class WorkbenchException(string message) : Exception(message);
