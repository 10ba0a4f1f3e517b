namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary><c>volatile</c>, <c>const</c>, <c>restrict</c> or a type tag (<c>BTF_KIND_TYPE_TAG</c>, whose name is
/// the tag, e.g. <c>rcu</c>) applied to <see cref="Target"/>.</summary>
public sealed record BtfModifier(int Id, BtfKind ModifierKind, string Name, int Target) : BtfType(Id, Name)
{
    public override BtfKind Kind => ModifierKind;
}
