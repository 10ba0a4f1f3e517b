namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>A type as written in a cast or <c>sizeof</c>: <c>uint32</c>, <c>pid_t</c>, <c>struct sock *</c>.
/// <see cref="Name"/> includes a <c>struct</c>/<c>union</c>/<c>enum</c> keyword when written.</summary>
public sealed record TypeSyntax(string Name, int PointerDepth)
{
    public bool IsRecord => Name.StartsWith("struct ", StringComparison.Ordinal) || Name.StartsWith("union ", StringComparison.Ordinal);

    public override string ToString() => PointerDepth == 0 ? Name : Name + " " + new string('*', PointerDepth);
}
