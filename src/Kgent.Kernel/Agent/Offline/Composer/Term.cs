using Kgent.Kernel.KernelInfo.Tracepoints;

namespace Kgent.Kernel.Agent.Offline.Composer;

/// <summary>One value a composed program prints or keys by: the bpftrace expression and its printf conversion
/// (<c>str(args->filename)</c> with <c>%s</c>, <c>args->ret</c> with <c>%d</c>), and the qualifier it was asked with
/// ("old", "new"), which decides how a pair is printed (<c>old -> new</c>); an endpoint's address and port print as
/// <c>address:port</c>.</summary>
internal sealed record Term(string Expression, string Conversion, string? Qualifier = null)
{
    /// <summary>Part of a connection's end (its address or port), printed joined to the other part with ':'.</summary>
    public bool Endpoint { get; init; }

    private static readonly HashSet<string> StringBuiltins = ["comm", "func", "probe", "cgroup_path"];
    private static readonly HashSet<string> NumberBuiltins = ["pid", "tid", "cpu", "uid", "gid", "nsecs", "elapsed", "retval", "numaargs"];

    /// <summary>A pattern of <see cref="Intent.FieldRoles"/> as a term on a hook: builtins, <c>args->field</c> (with
    /// <c>str()</c> or <c>ntop()</c> as its C type needs) and arithmetic on one field; null for a pattern that is not an
    /// expression (<c>*name</c>, <c>ntohs(*dport)</c>) or a field this hook does not have.</summary>
    public static Term? Of(string pattern, TracepointFormat? format, string? qualifier = null)
    {
        if (StringBuiltins.Contains(pattern))
        {
            return new(pattern, "%s", qualifier);
        }

        if (NumberBuiltins.Contains(pattern))
        {
            return new(pattern, "%d", qualifier);
        }

        if (pattern.StartsWith("ksym(args->", StringComparison.Ordinal) && pattern.EndsWith(')'))
        {
            return format?.FindField(pattern["ksym(args->".Length..^1]) is null ? null : new(pattern, "%s", qualifier);
        }

        if (!pattern.StartsWith("args->", StringComparison.Ordinal) || pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains(" * ", StringComparison.Ordinal))
        {
            return null;
        }

        var name = pattern["args->".Length..].Split(' ')[0];
        if (format?.FindField(name) is not { } field)
        {
            return null;
        }

        if (pattern.Contains(' ', StringComparison.Ordinal))
        {
            return new(pattern, "%d", qualifier);
        }

        return Of(field, qualifier);
    }

    /// <summary>A tracepoint field as a term, or null when it has no printable form (an array of structs).</summary>
    public static Term? Of(TracepointField field, string? qualifier = null)
    {
        var expression = "args->" + field.Name;
        if (field.IsCharArray)
        {
            return new(expression, "%s", qualifier);
        }

        if (field.IsDataLoc)
        {
            return field.CType.Contains("char", StringComparison.Ordinal) ? new($"str({expression})", "%s", qualifier) : null;
        }

        if (field.ArrayLength is 4 or 16 && field.CType.Contains("u8", StringComparison.Ordinal))
        {
            // An IPv4 or IPv6 address as bytes.
            return new($"ntop({expression})", "%s", qualifier);
        }

        if (field.ArrayLength is not null)
        {
            return null;
        }

        if (field.IsPointer)
        {
            return field.CType.Contains("char", StringComparison.Ordinal) ? new($"str({expression})", "%s", qualifier) : new(expression, "0x%lx", qualifier);
        }

        if (field.Name is "addr" or "address" or "brk" or "ip" or "call_site" or "ptr" or "location")
        {
            return new(expression, "0x%lx", qualifier);
        }

        return new(expression, field.IsSigned ? "%d" : "%u", qualifier);
    }
}
