namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary>A struct or union member as stored: its name (empty for an anonymous struct/union member), type,
/// offset in bits from the start of the enclosing type, and bitfield width (0 when not a bitfield).</summary>
public sealed record BtfMember(string Name, int Type, int BitOffset, int BitfieldSize);
