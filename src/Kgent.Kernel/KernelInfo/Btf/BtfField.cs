namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary>A named field reachable from a struct or union, with members of anonymous structs and unions
/// flattened in as C does: its type, its offset in bits from the start of the outer type, and its bitfield width
/// (0 when it is not a bitfield).</summary>
public sealed record BtfField(string Name, int Type, int BitOffset, int BitfieldSize)
{
    public int ByteOffset => BitOffset / 8;
}
