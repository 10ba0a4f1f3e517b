namespace Kgent.Kernel.Symbolic.Terms;

/// <summary>The sort of a <see cref="Term"/>: booleans, bit-vectors of a width, mathematical integers (string lengths),
/// strings, and arrays from one sort to another.</summary>
internal sealed record TermSort(SortKind Kind, uint Bits = 0, TermSort? Domain = null, TermSort? Range = null)
{
    public static readonly TermSort Bool = new(SortKind.Bool);
    public static readonly TermSort Int = new(SortKind.Int);
    public static readonly TermSort String = new(SortKind.String);

    public static TermSort BitVec(uint bits) => new(SortKind.BitVec, bits);

    public static TermSort Array(TermSort domain, TermSort range) => new(SortKind.Array, 0, domain, range);

    public override string ToString() => Kind switch
    {
        SortKind.BitVec => $"(_ BitVec {Bits})",
        SortKind.Array => $"(Array {Domain} {Range})",
        _ => Kind.ToString(),
    };
}

internal enum SortKind
{
    Bool,
    BitVec,
    Int,
    String,
    Array,
}
