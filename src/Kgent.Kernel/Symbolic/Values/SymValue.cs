using System.Collections.Immutable;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Symbolic.Values;

/// <summary>A symbolic value of the executor. Integers are 64-bit bit-vectors (bpftrace widens every integer to 64 bits)
/// that remember the width and signedness of their declared type; memory-backed values (records, arrays) remember their
/// address, so the same address always reads the same bytes.</summary>
internal abstract record SymValue;

/// <summary>An integer or a pointer. <see cref="Term"/> is always 64 bits wide; <see cref="Bits"/> is the width of the
/// type it came from (a <c>__u16</c> field, a <c>(uint8)</c> cast), which <c>bswap</c> and the counterexample display use.</summary>
internal sealed record IntValue(Term Term, int Bits, bool Signed, PointerInfo? Pointer = null) : SymValue;

/// <summary>What a pointer points at: a BTF type (when known), its C spelling, and the memory it points into.</summary>
internal sealed record PointerInfo(int? Target, string Display, MemoryRegion Region);

internal sealed record StringValue(Term Term) : SymValue;

/// <summary>A struct or union in memory, reached by <c>.</c> from a field access or a cast.</summary>
internal sealed record RecordValue(Term Address, BtfComposite? Composite, string Name, MemoryRegion Region) : SymValue;

/// <summary>A fixed-size array in memory (<c>__u8 saddr[4]</c>, <c>char comm[16]</c>).</summary>
internal sealed record ArrayValue(Term Address, int ElementSize, bool ElementSigned, int? ElementType, long Length, bool IsChar, MemoryRegion Region) : SymValue;

internal sealed record TupleValue(ImmutableArray<SymValue> Elements) : SymValue;

/// <summary><c>args</c>: the probe's context.</summary>
internal sealed record ContextValue : SymValue
{
    public static ContextValue Instance { get; } = new();
}

/// <summary>A value the executor does not model (stacks, histograms, buffers): it may flow through the program, but an
/// assertion that depends on it is Unsupported.</summary>
internal sealed record OpaqueValue(string What) : SymValue;

/// <summary>Separate memories, so a tracepoint record, kernel objects and user buffers never alias.</summary>
internal enum MemoryRegion
{
    Kernel,
    Context,
    User,
}
