namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_PTR</c>: a pointer to <see cref="Target"/>.</summary>
public sealed record BtfPointer(int Id, int Target) : BtfType(Id, string.Empty)
{
    public override BtfKind Kind => BtfKind.Pointer;
}
