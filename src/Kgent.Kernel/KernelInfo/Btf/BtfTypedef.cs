namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_TYPEDEF</c>: <see cref="BtfType.Name"/> is another name for <see cref="Target"/>.</summary>
public sealed record BtfTypedef(int Id, string Name, int Target) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Typedef;
}
