namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_DECL_TAG</c>: an attribute on a type, or on one of its members or parameters when
/// <see cref="ComponentIndex"/> is not -1.</summary>
public sealed record BtfDeclTag(int Id, string Name, int Target, int ComponentIndex) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.DeclTag;
}
