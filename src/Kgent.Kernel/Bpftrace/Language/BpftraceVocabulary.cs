using System.Collections.Frozen;

namespace Kgent.Kernel.Bpftrace.Language;

/// <summary>The words bpftrace 0.17 gives meaning to, as its parser sees them (checked against
/// <c>bpftrace -d</c> on this host: a name not in <see cref="Functions"/> followed by '(' is a parse error there).</summary>
public static class BpftraceVocabulary
{
    public static FrozenSet<string> Builtins { get; } = FrozenSet.Create(StringComparer.Ordinal,
    [
        "pid", "tid", "uid", "gid", "nsecs", "elapsed", "numaid", "cpu", "comm", "kstack", "ustack",
        "arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "arg6", "arg7", "arg8", "arg9",
        "sarg0", "sarg1", "sarg2", "sarg3", "sarg4", "sarg5", "sarg6", "sarg7", "sarg8", "sarg9",
        "retval", "func", "probe", "curtask", "rand", "cgroup", "cpid", "args", "ctx", "username",
    ]);

    public static FrozenSet<string> Functions { get; } = FrozenSet.Create(StringComparer.Ordinal,
    [
        "avg", "buf", "bswap", "cat", "cgroupid", "cgroup_path", "clear", "count", "debugf", "delete", "exit",
        "hist", "join", "kaddr", "kptr", "kstack", "ksym", "lhist", "macaddr", "max", "min", "ntop", "override",
        "path", "print", "printf", "pton", "reg", "signal", "sizeof", "skboutput", "stats", "str", "strcontains",
        "strerror", "strftime", "strncmp", "sum", "system", "time", "uaddr", "unwatch", "uptr", "ustack", "usym",
        "zero",
    ]);

    /// <summary>Kgent's own annotation statements, <c>assume(e);</c> and <c>assert(e);</c>.</summary>
    public static FrozenSet<string> Annotations { get; } = FrozenSet.Create(StringComparer.Ordinal, ["assume", "assert"]);

    /// <summary>Functions that only annotations (and kernel contracts) may call: byte-order conversions of the low 16 or
    /// 32 bits. They give assertions a way to say "this is a port in host byte order" without bpftrace knowing them.</summary>
    public static FrozenSet<string> AnnotationFunctions { get; } = FrozenSet.Create(StringComparer.Ordinal, ["ntohs", "htons", "ntohl", "htonl"]);

    /// <summary>Type names bpftrace knows without BTF; any other identifier in a cast is taken as a typedef.</summary>
    public static FrozenSet<string> IntegerTypes { get; } = FrozenSet.Create(StringComparer.Ordinal,
    [
        "bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
    ]);

    /// <summary>Stack modes, meaningful as the first argument of <c>kstack(…)</c> / <c>ustack(…)</c>.</summary>
    public static FrozenSet<string> StackModes { get; } = FrozenSet.Create(StringComparer.Ordinal, ["bpftrace", "perf", "raw"]);

    public static FrozenSet<string> Keywords { get; } = FrozenSet.Create(StringComparer.Ordinal,
    [
        "if", "else", "while", "unroll", "return", "break", "continue", "struct", "union", "enum",
    ]);

    public static bool IsFunction(string name) => Functions.Contains(name);

    public static bool IsBuiltin(string name) => Builtins.Contains(name);
}
