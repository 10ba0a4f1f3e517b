namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_VAR</c>: a global or per-CPU variable.</summary>
public sealed record BtfVariable(int Id, string Name, int Type, BtfLinkage Linkage) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Variable;
}
