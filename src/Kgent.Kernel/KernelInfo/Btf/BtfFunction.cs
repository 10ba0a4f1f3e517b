namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_FUNC</c>: a kernel function; its parameters and return type are in <see cref="Prototype"/>.</summary>
public sealed record BtfFunction(int Id, string Name, int Prototype, BtfLinkage Linkage) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.Function;
}

public enum BtfLinkage
{
    Static = 0,
    Global = 1,
    Extern = 2,
}
