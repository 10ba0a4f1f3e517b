using System.Collections.Immutable;

namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_STRUCT</c> or <c>BTF_KIND_UNION</c> of <see cref="Size"/> bytes.</summary>
public sealed record BtfComposite(int Id, string Name, bool IsUnion, int Size, ImmutableArray<BtfMember> Members) : BtfType(Id, Name)
{
    public override BtfKind Kind => IsUnion ? BtfKind.Union : BtfKind.Struct;

    public string Keyword => IsUnion ? "union" : "struct";
}
