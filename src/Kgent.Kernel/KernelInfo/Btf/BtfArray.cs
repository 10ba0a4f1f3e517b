namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_ARRAY</c>: <see cref="Count"/> elements of <see cref="ElementType"/>.</summary>
public sealed record BtfArray(int Id, int ElementType, int IndexType, uint Count) : BtfType(Id, string.Empty)
{
    public override BtfKind Kind => BtfKind.Array;
}
