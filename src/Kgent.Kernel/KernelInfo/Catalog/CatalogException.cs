namespace Kgent.Kernel.KernelInfo.Catalog;

/// <summary>A catalog could not be built or read; the message says which file and what to do.</summary>
public sealed class CatalogException(string message, Exception? inner = null) : Exception(message, inner);
