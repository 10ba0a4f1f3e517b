namespace Kgent.Kernel.Libbpf.Objects;

/// <summary>A file that is not a readable BPF object; the message names it and says why.</summary>
public sealed class BpfObjectException(string message) : Exception(message);
