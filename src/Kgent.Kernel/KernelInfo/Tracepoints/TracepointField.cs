namespace Kgent.Kernel.KernelInfo.Tracepoints;

/// <summary>One field of a tracepoint's <c>format</c> file, as bpftrace exposes it in <c>args</c>:
/// <c>field:__u8 saddr[4]; offset:32; size:4; signed:0;</c> gives Name "saddr", CType "__u8", ArrayLength 4.
/// <see cref="IsDataLoc"/> marks <c>__data_loc</c> fields (variable-length strings), which bpftrace 0.17 reads as
/// integers.</summary>
public sealed record TracepointField(string Name, string CType, int Offset, int Size, bool IsSigned, int? ArrayLength = null, bool IsDataLoc = false)
{
    /// <summary>The declaration as <c>bpftrace -lv</c> prints it: <c>__u8 saddr[4]</c>.</summary>
    public string Declaration => ArrayLength is { } length ? $"{CType} {Name}[{length}]" : IsDataLoc ? $"__data_loc {CType} {Name}" : $"{CType} {Name}";

    public bool IsPointer => ArrayLength is null && CType.EndsWith('*');

    /// <summary>A <c>char</c> array or a pointer to char: something <c>str()</c> (or printf %s for arrays) reads.</summary>
    public bool IsCharArray => ArrayLength is not null && CType.EndsWith("char", StringComparison.Ordinal);
}
