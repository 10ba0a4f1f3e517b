namespace Kgent.Kernel.Libbpf.Lowering;

/// <summary>A construct of a C program that Kgent's lowering does not model, at the node where it is.</summary>
internal sealed class NotModelledException(CAstNode node, string construct) : Exception(construct)
{
    public CAstNode Node { get; } = node;

    public string Construct { get; } = construct;
}
