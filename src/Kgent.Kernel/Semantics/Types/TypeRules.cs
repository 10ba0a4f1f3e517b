using Kgent.Kernel.KernelInfo.Btf;

namespace Kgent.Kernel.Semantics.Types;

/// <summary>Conversions from kernel type descriptions to <see cref="BpfValueType"/> and the compatibility rules used for
/// maps and variables (a coarse rule on purpose: bpftrace converts between integer widths and string sizes).</summary>
public static class TypeRules
{
    public static BpfValueType FromBtf(BtfTypeGraph btf, int id)
    {
        var resolved = btf.Resolve(id);
        return resolved switch
        {
            BtfInt i => i.IsBool ? new IntegerType(8, false) : new IntegerType(Math.Max(8, i.Size * 8), i.IsSigned),
            BtfEnum e => new IntegerType(e.Size * 8, e.IsSigned),
            BtfPointer p => new PointerType(p.Target, btf.Format(p.Target)),
            BtfComposite c => new RecordType(c, btf.Format(c.Id)),
            BtfArray a => new ArrayType(btf.Format(a.ElementType), a.Count, btf.Resolve(a.ElementType) is BtfInt { Size: 1 } ei && (ei.IsChar || ei.Name.Contains("char", StringComparison.Ordinal)), a.ElementType),
            _ => UnknownType.Instance,
        };
    }

    /// <summary>The type of a tracepoint field, from its C declaration in the format file. The BTF is asked for only when
    /// the field points to a struct (a lazy catalog then reads it).</summary>
    public static BpfValueType FromTracepointField(KernelInfo.Tracepoints.TracepointField field, Func<BtfTypeGraph?> btf)
    {
        if (field.IsDataLoc)
        {
            // bpftrace 0.17 reads __data_loc fields as 32-bit integers (offset and length), not strings.
            return new IntegerType(32, false);
        }

        if (field.ArrayLength is { } length)
        {
            var isChar = field.CType.EndsWith("char", StringComparison.Ordinal);
            return new ArrayType(field.CType, length, isChar);
        }

        if (field.IsPointer)
        {
            var target = field.CType[..^1].Trim();
            var bare = target.Replace("const ", string.Empty, StringComparison.Ordinal).Replace("volatile ", string.Empty, StringComparison.Ordinal).Trim();
            int? targetId = null;
            if (bare.StartsWith("struct ", StringComparison.Ordinal) && btf() is { } graph)
            {
                targetId = graph.FindComposite(bare["struct ".Length..].Trim())?.Id;
            }

            return new PointerType(targetId, target);
        }

        return new IntegerType(Math.Max(8, field.Size * 8), field.IsSigned);
    }

    /// <summary>A key for "same kind of value" when a map or variable is assigned twice.</summary>
    public static string? CompatibilityClass(BpfValueType type) => type switch
    {
        UnknownType or NoneType => null,
        IntegerType or PointerType => "integer",
        StringType s => s.Flavor is "string" or "username" ? "string" : s.Flavor,
        ArrayType { IsChar: true } => "string",
        ArrayType a => $"array {a.Display}",
        TupleType t => t.Elements.Any(e => CompatibilityClass(e) is null) ? null : $"({string.Join(",", t.Elements.Select(CompatibilityClass))})",
        AggregationType a => a.Function,
        RecordType r => r.Name,
        _ => type.Kind,
    };

    /// <summary>How bpftrace spells a type in its mismatch messages.</summary>
    public static string Describe(BpfValueType type) => type switch
    {
        IntegerType or PointerType => "integer",
        AggregationType a => a.Function,
        _ => type.Display,
    };
}
