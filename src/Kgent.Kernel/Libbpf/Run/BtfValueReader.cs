using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Runner;

namespace Kgent.Kernel.Libbpf.Run;

/// <summary>Reads the bytes of a map key, a map value or a ring buffer record as the program's own BTF describes them:
/// integers (signed or not, any width), enums, <c>char[]</c> strings, pointers, arrays and structs.</summary>
public static class BtfValueReader
{
    private const int MaxDepth = 8;

    /// <summary>A value as run data: an integer is a <see cref="MapData.Scalar"/>, anything else <see cref="MapData.Text"/>.</summary>
    public static MapData Data(BtfTypeGraph btf, int type, ReadOnlySpan<byte> bytes) =>
        Integer(btf, type, bytes) is { } value ? new MapData.Scalar(value) : new MapData.Text(Format(btf, type, bytes));

    /// <summary>The value as an integer when its type is one (int, enum, bool, pointer), else null.</summary>
    public static long? Integer(BtfTypeGraph btf, int type, ReadOnlySpan<byte> bytes) => btf.Resolve(type) switch
    {
        BtfInt integer when integer.Size <= bytes.Length => Read(bytes, integer.Size, integer.IsSigned),
        BtfEnum enumeration when enumeration.Size <= bytes.Length => Read(bytes, enumeration.Size, true),
        BtfPointer when bytes.Length >= 8 => Read(bytes, 8, false),
        _ => null,
    };

    /// <summary>The parts of a key: a struct's members each on their own, anything else whole.</summary>
    public static ImmutableArray<string> Parts(BtfTypeGraph btf, int type, ReadOnlySpan<byte> bytes)
    {
        if (btf.Resolve(type) is BtfComposite { IsUnion: false } composite)
        {
            var parts = ImmutableArray.CreateBuilder<string>();
            var available = bytes.Length;
            foreach (var member in composite.Members.Where(m => m.BitfieldSize == 0 && m.BitOffset / 8 < available))
            {
                var start = member.BitOffset / 8;
                var size = (int)Math.Min(btf.SizeOf(member.Type), bytes.Length - start);
                parts.Add(Format(btf, member.Type, bytes.Slice(start, size)));
            }

            return parts.ToImmutable();
        }

        return [Format(btf, type, bytes)];
    }

    /// <summary>The value as text: integers in decimal, <c>char[]</c> up to its NUL, structs as <c>name=value</c> pairs.</summary>
    public static string Format(BtfTypeGraph btf, int type, ReadOnlySpan<byte> bytes) => Format(btf, type, bytes, 0);

    private static string Format(BtfTypeGraph btf, int type, ReadOnlySpan<byte> bytes, int depth)
    {
        if (depth > MaxDepth)
        {
            return "…";
        }

        switch (btf.Resolve(type))
        {
            case BtfArray array when btf.Resolve(array.ElementType) is BtfInt { Size: 1 } element && IsCharArrayElement(element):
                var end = bytes.IndexOf((byte)0);
                return Encoding.UTF8.GetString(bytes[..(end < 0 ? bytes.Length : end)]);
            case BtfArray array:
                var size = (int)btf.SizeOf(array.ElementType);
                if (size <= 0)
                {
                    return "[]";
                }

                var items = new List<string>();
                for (var i = 0; i < array.Count && (i + 1) * size <= bytes.Length; i++)
                {
                    items.Add(Format(btf, array.ElementType, bytes.Slice(i * size, size), depth + 1));
                }

                return "[" + string.Join(", ", items) + "]";
            case BtfComposite composite:
                var fields = new List<string>();
                var available = bytes.Length;
                foreach (var member in composite.Members.Where(m => m.BitfieldSize == 0 && m.BitOffset / 8 < available))
                {
                    var start = member.BitOffset / 8;
                    var length = (int)Math.Min(btf.SizeOf(member.Type), bytes.Length - start);
                    var text = Format(btf, member.Type, bytes.Slice(start, length), depth + 1);
                    fields.Add(member.Name.Length == 0 ? text : $"{member.Name}={text}");
                }

                return string.Join(" ", fields);
            case BtfPointer when bytes.Length >= 8:
                return "0x" + BinaryPrimitives.ReadUInt64LittleEndian(bytes).ToString("x", CultureInfo.InvariantCulture);
            default:
                return Integer(btf, type, bytes)?.ToString(CultureInfo.InvariantCulture) ?? Convert.ToHexStringLower(bytes);
        }
    }

    /// <summary>A one-byte <c>char</c> (BTF marks it, or it is named so): arrays of it are strings.</summary>
    private static bool IsCharArrayElement(BtfInt integer) => integer.Size == 1 && (integer.IsChar || integer.Name is "char" or "signed char" or "unsigned char");

    private static long Read(ReadOnlySpan<byte> bytes, int size, bool signed) => size switch
    {
        1 => signed ? (sbyte)bytes[0] : bytes[0],
        2 => signed ? BinaryPrimitives.ReadInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
        4 => signed ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        _ => BinaryPrimitives.ReadInt64LittleEndian(bytes),
    };
}
