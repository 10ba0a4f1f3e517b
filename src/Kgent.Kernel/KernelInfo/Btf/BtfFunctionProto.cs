using System.Collections.Immutable;

namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>BTF_KIND_FUNC_PROTO</c>: return type and parameters. A final parameter with type 0 and no name
/// means <c>...</c>; it is not kept in <see cref="Parameters"/> but sets <see cref="IsVariadic"/>.</summary>
public sealed record BtfFunctionProto(int Id, int ReturnType, ImmutableArray<BtfParameter> Parameters, bool IsVariadic) : BtfType(Id, string.Empty)
{
    public override BtfKind Kind => BtfKind.FunctionProto;
}

/// <summary>One parameter; the name is empty when the kernel did not record it.</summary>
public sealed record BtfParameter(string Name, int Type);
