using System.Collections.Immutable;
using Kgent.Kernel.KernelInfo.Btf;

namespace Kgent.Kernel.Semantics.Types;

/// <summary>The type of a bpftrace expression as far as the checker needs it. <see cref="UnknownType"/> means
/// "could not tell", and every check treats it as compatible with anything, so imprecision never becomes a false error.</summary>
public abstract record BpfValueType
{
    /// <summary>How bpftrace words the kind in its own messages: integer, string, array, …</summary>
    public abstract string Kind { get; }

    public abstract string Display { get; }

    public override string ToString() => Display;
}

public sealed record UnknownType : BpfValueType
{
    public static UnknownType Instance { get; } = new();

    public override string Kind => "unknown";

    public override string Display => "unknown";
}

/// <summary>The result of a call with no value, such as <c>printf()</c>.</summary>
public sealed record NoneType : BpfValueType
{
    public static NoneType Instance { get; } = new();

    public override string Kind => "none";

    public override string Display => "none";
}

public sealed record IntegerType(int Bits, bool Signed) : BpfValueType
{
    public static IntegerType U64 { get; } = new(64, false);

    public static IntegerType S64 { get; } = new(64, true);

    public static IntegerType U32 { get; } = new(32, false);

    public override string Kind => "integer";

    public override string Display => $"{(Signed ? "int" : "uint")}{Bits}";
}

/// <summary>A pointer; <see cref="Target"/> is the BTF type pointed at when known.</summary>
public sealed record PointerType(int? Target, string TargetDisplay) : BpfValueType
{
    public override string Kind => "integer";

    public override string Display => TargetDisplay.EndsWith('*') ? TargetDisplay + "*" : TargetDisplay + " *";
}

/// <summary>A bpftrace string (<c>comm</c>, <c>str()</c>, literals) or a string-like value printf's %s accepts:
/// symbols, addresses from ntop, stacks, user names. <see cref="Flavor"/> tells them apart for map type checks.</summary>
public sealed record StringType(string Flavor = "string") : BpfValueType
{
    public static StringType Plain { get; } = new();

    public override string Kind => "string";

    public override string Display => Flavor;
}

/// <summary>A fixed-size array (<c>__u8 saddr[4]</c>); a char array reads as a string.</summary>
public sealed record ArrayType(string ElementDisplay, long Length, bool IsChar, int? ElementBtfType = null) : BpfValueType
{
    public override string Kind => IsChar ? "string" : "array";

    public override string Display => $"{ElementDisplay}[{Length}]";
}

/// <summary>A struct or union value (not a pointer to one).</summary>
public sealed record RecordType(BtfComposite? Composite, string Name) : BpfValueType
{
    public override string Kind => "record";

    public override string Display => Name;
}

public sealed record TupleType(ImmutableArray<BpfValueType> Elements) : BpfValueType
{
    public override string Kind => "tuple";

    public override string Display => $"({string.Join(", ", Elements.Select(e => e.Display))})";
}

/// <summary>The value a map holds after <c>@m = count()</c> and the other aggregation functions.</summary>
public sealed record AggregationType(string Function) : BpfValueType
{
    public override string Kind => Function;

    public override string Display => $"{Function}()";
}

/// <summary><c>args</c>: the probe's context, whose fields come from the tracepoint format or the function's BTF.</summary>
public sealed record ContextType : BpfValueType
{
    public static ContextType Instance { get; } = new();

    public override string Kind => "ctx";

    public override string Display => "args";
}

/// <summary>A buffer from <c>buf()</c>, printed with %r.</summary>
public sealed record BufferType : BpfValueType
{
    public static BufferType Instance { get; } = new();

    public override string Kind => "buffer";

    public override string Display => "buffer";
}
