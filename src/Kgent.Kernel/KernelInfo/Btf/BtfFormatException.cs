namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary>The bytes are not valid BTF. The message names the byte offset and what was wrong, e.g.
/// "truncated at byte 24: the header says the type section ends at byte 5519000, but the data has 1000 bytes".</summary>
public sealed class BtfFormatException : Exception
{
    public BtfFormatException(string message) : base(message)
    {
    }

    public BtfFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}
