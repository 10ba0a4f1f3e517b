namespace Kgent.Kernel.Processes;

/// <summary>A child could not be started (the program is missing or not executable); the message says which and why.</summary>
public sealed class ChildStartException(string message) : Exception(message);
