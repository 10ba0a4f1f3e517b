using System.Collections.Frozen;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Semantics.Types;

namespace Kgent.Kernel.Semantics;

/// <summary>What the checker knows about one bpftrace 0.17 function: its arity, the value it returns, and its rules.
/// Unsafe builtins (system, signal, override, cat) are the safety policy's business (<see cref="Safety.SafetyPolicy"/>).
/// <see cref="FormatArgument"/> is the index of a printf-style format argument; <see cref="LiteralArguments"/> lists
/// arguments that must be literals (lhist bounds, kaddr's symbol); <see cref="OnlyIn"/> limits probe types.</summary>
public sealed record FunctionSignature(
    string Name,
    int MinArguments,
    int MaxArguments,
    BpfValueType Result,
    bool IsAggregation = false,
    int? FormatArgument = null,
    int[]? LiteralArguments = null,
    bool TakesMap = false,
    ProbeType[]? OnlyIn = null)
{
    private const int Many = int.MaxValue;

    public static FrozenDictionary<string, FunctionSignature> All { get; } = new FunctionSignature[]
    {
        new("avg", 1, 1, new AggregationType("avg"), IsAggregation: true),
        new("sum", 1, 1, new AggregationType("sum"), IsAggregation: true),
        new("min", 1, 1, new AggregationType("min"), IsAggregation: true),
        new("max", 1, 1, new AggregationType("max"), IsAggregation: true),
        new("stats", 1, 1, new AggregationType("stats"), IsAggregation: true),
        new("count", 0, 0, new AggregationType("count"), IsAggregation: true),
        new("hist", 1, 1, new AggregationType("hist"), IsAggregation: true),
        new("lhist", 4, 4, new AggregationType("lhist"), IsAggregation: true, LiteralArguments: [1, 2, 3]),
        new("buf", 1, 2, BufferType.Instance),
        new("bswap", 1, 1, IntegerType.U64),
        new("cat", 1, Many, NoneType.Instance, FormatArgument: 0),
        new("cgroupid", 1, 1, IntegerType.U64, LiteralArguments: [0]),
        new("cgroup_path", 1, 2, new StringType("cgroup_path")),
        new("clear", 1, 1, NoneType.Instance, TakesMap: true),
        new("zero", 1, 1, NoneType.Instance, TakesMap: true),
        new("delete", 1, 1, NoneType.Instance, TakesMap: true),
        new("exit", 0, 0, NoneType.Instance),
        new("join", 1, 2, NoneType.Instance),
        new("kaddr", 1, 1, IntegerType.U64, LiteralArguments: [0]),
        new("uaddr", 1, 1, IntegerType.U64, LiteralArguments: [0]),
        new("kptr", 1, 1, UnknownType.Instance),
        new("uptr", 1, 1, UnknownType.Instance),
        new("kstack", 0, 2, new StringType("kstack")),
        new("ustack", 0, 2, new StringType("ustack")),
        new("ksym", 1, 1, new StringType("ksym")),
        new("usym", 1, 1, new StringType("usym")),
        new("macaddr", 1, 1, new StringType("macaddr")),
        new("ntop", 1, 2, new StringType("inet")),
        new("override", 1, 1, NoneType.Instance, OnlyIn: [ProbeType.Kprobe]),
        new("path", 1, 1, new StringType("path"), OnlyIn: [ProbeType.Kfunc, ProbeType.Kretfunc]),
        new("print", 1, 3, NoneType.Instance),
        new("printf", 1, Many, NoneType.Instance, FormatArgument: 0),
        new("debugf", 1, Many, NoneType.Instance, FormatArgument: 0),
        new("pton", 1, 1, new ArrayType("uint8", 16, false)),
        new("reg", 1, 1, IntegerType.U64, LiteralArguments: [0]),
        new("signal", 1, 1, NoneType.Instance),
        new("sizeof", 1, 1, IntegerType.U64),
        new("skboutput", 4, 4, IntegerType.U32),
        new("str", 1, 2, StringType.Plain),
        new("strcontains", 2, 2, IntegerType.U64),
        new("strerror", 1, 1, new StringType("strerror")),
        new("strftime", 2, 2, new StringType("timestamp"), LiteralArguments: [0]),
        new("strncmp", 3, 3, IntegerType.U64, LiteralArguments: [2]),
        new("system", 1, Many, NoneType.Instance, FormatArgument: 0),
        new("time", 0, 1, NoneType.Instance),
        new("unwatch", 1, 1, NoneType.Instance),
    }.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    public string ArityText => MinArguments == MaxArguments
        ? $"{MinArguments} argument{(MinArguments == 1 ? string.Empty : "s")}"
        : MaxArguments == int.MaxValue ? $"at least {MinArguments} argument{(MinArguments == 1 ? string.Empty : "s")}"
        : $"{MinArguments} to {MaxArguments} arguments";
}
