namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_FWD</c>: a declared but not defined struct or union.</summary>
public sealed record BtfForward(int Id, string Name, bool IsUnion) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Forward;
}
