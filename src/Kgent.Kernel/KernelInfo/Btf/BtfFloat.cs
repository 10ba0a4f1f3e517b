namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_FLOAT</c>.</summary>
public sealed record BtfFloat(int Id, string Name, int Size) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Float;
}
