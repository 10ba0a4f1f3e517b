namespace Kgent.Kernel.Platform;

/// <summary>Kgent refused or failed to write a file; the message names the file and what to do. Nothing was written.</summary>
public sealed class FileWriteException(string message, Exception? inner = null) : IOException(message, inner);
