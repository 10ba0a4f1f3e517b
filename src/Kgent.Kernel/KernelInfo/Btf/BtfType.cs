namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary>One BTF type. <see cref="Id"/> is its index in the type section (0 is void); references between
/// types are ids, resolved through <see cref="BtfTypeGraph"/>.</summary>
public abstract record BtfType(int Id, string Name)
{
    public abstract BtfKind Kind { get; }

    public bool IsAnonymous => Name.Length == 0;
}

/// <summary>Type id 0: <c>void</c>.</summary>
public sealed record BtfVoid() : BtfType(0, "void")
{
    public override BtfKind Kind => BtfKind.Void;
}
