namespace Kgent.Kernel.Libbpf.Toolchain;

/// <summary>C programs cannot be built on this host (clang, libbpf's headers, bpftool or the kernel's BTF missing): no
/// retry of a model can fix it, so the loop stops with this message, which names the fix.</summary>
public sealed class CToolchainException(string message) : Exception(message);
