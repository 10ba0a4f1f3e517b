using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Symbolic;

/// <summary>Raised inside the executor when an expression needs a construct it does not model. In an annotation it
/// becomes an <see cref="SymbolicVerdict.Unsupported"/> verdict; elsewhere the value becomes opaque and a note is kept.</summary>
internal sealed class UnsupportedConstructException(string construct, TextSpan span) : Exception(construct)
{
    public string Construct { get; } = construct;

    public TextSpan Span { get; } = span;
}
