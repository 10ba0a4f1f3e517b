using System.Globalization;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Tracepoints;
using Kgent.Kernel.Libbpf.Check;

namespace Kgent.Kernel.Libbpf.Agent;

/// <summary>Lowers the bpftrace expressions the offline composer chooses for a hook (its terms, keys and predicates) to C
/// for a <c>SEC("tp/…")</c> handler whose context is the tracepoint's record: <c>args-&gt;F</c> is <c>ctx-&gt;F</c> (a
/// system call's arguments are <c>ctx-&gt;args[N]</c>, its result <c>ctx-&gt;ret</c>), builtins become helper calls, and
/// <c>comm == "x"</c> a bounded comparison with the current command. Null for anything it does not know how to say in C,
/// so the composer leaves that candidate out rather than guess.</summary>
internal sealed class CExpressionLowering(TracepointFormat? format, BtfTypeGraph? btf)
{
    /// <summary>#define constants bpftrace knows that vmlinux.h (BTF) does not carry.</summary>
    private static readonly Dictionary<string, long> Macros = new(StringComparer.Ordinal) { ["AF_INET"] = 2, ["AF_INET6"] = 10 };

    /// <summary>True when a lowered expression reads the current command into <c>comm</c> first.</summary>
    public bool NeedsComm { get; private set; }

    public static Expression? Parse(string text)
    {
        var parse = BpftraceParser.Parse($"BEGIN /{text}/ {{ }}\n", "term.bt");
        return parse.HasErrors ? null : parse.Program.Probes.FirstOrDefault()?.Predicate;
    }

    /// <summary>A numeric or boolean C expression, or null.</summary>
    public string? Value(string text) => Parse(text) is { } expression ? Value(expression) : null;

    public string? Value(Expression expression)
    {
        switch (expression)
        {
            case IntegerLiteral literal:
                return (literal.IsNegative ? "-" : string.Empty) + literal.Value.ToString(CultureInfo.InvariantCulture);
            case BooleanLiteral boolean:
                return boolean.Value ? "1" : "0";
            case IdentifierExpression identifier:
                return btf?.FindEnumConstant(identifier.Name) is not null ? identifier.Name
                    : Macros.TryGetValue(identifier.Name, out var number) ? number.ToString(CultureInfo.InvariantCulture) : null;
            case BuiltinExpression builtin:
                return builtin.Name switch
                {
                    "pid" => "(u32)(bpf_get_current_pid_tgid() >> 32)",
                    "tid" => "(u32)bpf_get_current_pid_tgid()",
                    "cpu" => "bpf_get_smp_processor_id()",
                    "uid" => "(u32)bpf_get_current_uid_gid()",
                    "gid" => "(u32)(bpf_get_current_uid_gid() >> 32)",
                    "nsecs" => "bpf_ktime_get_ns()",
                    _ => null,
                };
            case FieldAccessExpression { IsArrow: true, Target: IdentifierExpression or BuiltinExpression { Name: "args" } } access when IsArgs(access.Target):
                return Field(access.Field);
            case UnaryExpression unary when Value(unary.Operand) is { } operand:
                return unary.Operator switch
                {
                    UnaryOperator.LogicalNot => $"!({operand})",
                    UnaryOperator.Negate => $"-({operand})",
                    UnaryOperator.BitwiseNot => $"~({operand})",
                    _ => null,
                };
            case BinaryExpression binary:
                return Binary(binary);
            case CastExpression cast when cast.Type.PointerDepth == 0 && Value(cast.Operand) is { } inner && CType(cast.Type.Name) is { } type:
                return $"({type})({inner})";
            case CallExpression { Name: "ntohs", Arguments: [var argument] } when Value(argument) is { } value:
                return $"bpf_ntohs({value})";
            default:
                return null;
        }
    }

    /// <summary>How a text term fills a <c>char[]</c> member <paramref name="destination"/> of <paramref name="size"/>
    /// bytes: <c>comm</c>, <c>str(args->F)</c> (user memory for system calls, the record's __data_loc string or a kernel
    /// pointer otherwise), a <c>char[]</c> field of the record. Null for other text.</summary>
    public string? FillText(string term, string destination, int size)
    {
        if (term == "comm")
        {
            return $"bpf_get_current_comm(&{destination}, sizeof({destination}));";
        }

        var inner = term.StartsWith("str(", StringComparison.Ordinal) && term.EndsWith(')') ? term[4..^1] : term;
        if (!inner.StartsWith("args->", StringComparison.Ordinal) || format?.FindField(inner["args->".Length..]) is not { } field)
        {
            return null;
        }

        if (format.Category == "syscalls")
        {
            return Field(field.Name) is { } pointer ? $"bpf_probe_read_user_str(&{destination}, sizeof({destination}), (const void *)({pointer}));" : null;
        }

        if (field.IsDataLoc)
        {
            return $"bpf_probe_read_kernel_str(&{destination}, sizeof({destination}), (void *)ctx + (ctx->__data_loc_{field.Name} & 0xFFFF));";
        }

        return field.IsCharArray ? $"bpf_probe_read_kernel_str(&{destination}, sizeof({destination}), ctx->{field.Name});"
            : field.IsPointer ? $"bpf_probe_read_kernel_str(&{destination}, sizeof({destination}), (const void *)ctx->{field.Name});"
            : null;
    }

    /// <summary>Whether a term is text (printed with %s): the command, a string read, a char[] field.</summary>
    public bool IsText(string term) =>
        term is "comm" || term.StartsWith("str(", StringComparison.Ordinal)
        || term.StartsWith("args->", StringComparison.Ordinal) && format?.FindField(term["args->".Length..]) is { IsCharArray: true };

    /// <summary>An address term (<c>ntop(args->F)</c> over a u8[4] or u8[16] field): its field and length.</summary>
    public (string Field, int Length)? Address(string term) =>
        term.StartsWith("ntop(args->", StringComparison.Ordinal) && term.EndsWith(')') && format?.FindField(term["ntop(args->".Length..^1]) is { ArrayLength: 4 or 16 } field
            ? (field.Name, field.ArrayLength!.Value)
            : null;

    private string? Binary(BinaryExpression binary)
    {
        // comm == "name": the current command, compared up to its terminating NUL.
        var name = (binary.Left, binary.Right) switch
        {
            (BuiltinExpression { Name: "comm" }, StringLiteral literal) => literal,
            (StringLiteral literal, BuiltinExpression { Name: "comm" }) => literal,
            _ => null,
        };
        if (binary.Operator is BinaryOperator.Equal or BinaryOperator.NotEqual && name is not null)
        {
            NeedsComm = true;
            var text = name.Value.Length > 15 ? name.Value[..15] : name.Value;
            var same = $"same_string(comm, \"{Escape(text)}\", {text.Length + 1})";
            return binary.Operator == BinaryOperator.Equal ? same : $"!{same}";
        }

        if (Value(binary.Left) is not { } left || Value(binary.Right) is not { } right)
        {
            return null;
        }

        // C spells every bpftrace binary operator the same way.
        var op = Bpftrace.Syntax.Expressions.OperatorFacts.Spelling(binary.Operator);
        return $"({left} {op} {right})";
    }

    /// <summary>A numeric field of the record: a system call's argument or result, else the record's member.</summary>
    private string? Field(string name)
    {
        if (format is null)
        {
            return null;
        }

        if (format.Category == "syscalls")
        {
            if (name == "ret" && format.Event.StartsWith("sys_exit_", StringComparison.Ordinal))
            {
                return "ctx->ret";
            }

            var argument = CContextStruct.SyscallArguments(format).FirstOrDefault(a => a.Name == name);
            return argument.Name is null ? null
                : argument.CType.Contains('*', StringComparison.Ordinal) || argument.CType.Contains("unsigned", StringComparison.Ordinal) || argument.CType.StartsWith("size_t", StringComparison.Ordinal)
                    ? $"ctx->args[{argument.Index}]"
                    : $"(long)ctx->args[{argument.Index}]";
        }

        return format.FindField(name) is { IsDataLoc: false, ArrayLength: null } ? $"ctx->{name}" : null;
    }

    private static bool IsArgs(Expression target) => target is IdentifierExpression { Name: "args" } or BuiltinExpression { Name: "args" };

    private static string? CType(string bpftrace) => bpftrace switch
    {
        "uint8" => "u8",
        "uint16" => "u16",
        "uint32" => "u32",
        "uint64" => "u64",
        "int8" => "s8",
        "int16" => "s16",
        "int32" => "s32",
        "int64" => "s64",
        _ => null,
    };

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
