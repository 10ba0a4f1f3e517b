namespace Kgent.Kernel.Safety;

/// <summary>A BPF helper Kgent refuses in C programs unless the user names it: its number in the kernel's helper table
/// (what the compiled <c>call</c> instruction holds, however the source spelled it) and what it does to the host.</summary>
public sealed record UnsafeHelper(string Name, int Number, string Effect);
