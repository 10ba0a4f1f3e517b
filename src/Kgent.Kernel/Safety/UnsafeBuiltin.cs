namespace Kgent.Kernel.Safety;

/// <summary>A bpftrace builtin Kgent refuses unless the user names it: what it does to the host, and whether bpftrace
/// itself runs it only with <c>--unsafe</c>.</summary>
public sealed record UnsafeBuiltin(string Name, string Effect, bool NeedsUnsafeFlag);
