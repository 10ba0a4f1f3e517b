using System.Collections.Immutable;

namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_DATASEC</c>: an ELF section (e.g. <c>.data..percpu</c>) and the variables in it.</summary>
public sealed record BtfDataSection(int Id, string Name, int Size, ImmutableArray<BtfSectionVariable> Variables) : BtfType(Id, Name)
{
    public override BtfKind Kind => BtfKind.DataSection;
}

public sealed record BtfSectionVariable(int Type, int Offset, int Size);
