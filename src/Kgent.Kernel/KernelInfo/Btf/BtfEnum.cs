using System.Collections.Immutable;

namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_ENUM</c> or <c>BTF_KIND_ENUM64</c>: named constants of a <see cref="Size"/>-byte integer.</summary>
public sealed record BtfEnum(int Id, string Name, int Size, bool IsSigned, bool Is64, ImmutableArray<BtfEnumValue> Values) : BtfType(Id, Name)
{
    public override BtfKind Kind => Is64 ? BtfKind.Enum64 : BtfKind.Enum;
}

/// <summary>One enumerator.</summary>
public sealed record BtfEnumValue(string Name, long Value);
