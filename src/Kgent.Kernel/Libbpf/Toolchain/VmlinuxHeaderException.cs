namespace Kgent.Kernel.Libbpf.Toolchain;

/// <summary>vmlinux.h could not be had; the message says why and what fixes it.</summary>
public sealed class VmlinuxHeaderException(string message) : Exception(message);
