namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_INT</c>: an integer of <see cref="Size"/> bytes whose value has <see cref="Bits"/> bits.</summary>
public sealed record BtfInt(int Id, string Name, int Size, bool IsSigned, bool IsChar, bool IsBool, int BitOffset, int Bits) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Int;
}
