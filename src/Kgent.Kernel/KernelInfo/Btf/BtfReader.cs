using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary>Reads raw BTF (the format of <c>/sys/kernel/btf/vmlinux</c>, described in the kernel's
/// Documentation/bpf/btf.rst): a header, a type section and a string section. Either byte order is accepted.
/// Every offset and type reference is bounds-checked, so a truncated or corrupt file gives a
/// <see cref="BtfFormatException"/> naming the byte and the problem, never an index exception.</summary>
public static class BtfReader
{
    public const ushort Magic = 0xEB9F;
    private const int MinimumHeaderLength = 24;

    public static BtfTypeGraph ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BtfFormatException($"cannot read BTF from '{path}': {ex.Message}", ex);
        }

        try
        {
            return Read(bytes);
        }
        catch (BtfFormatException ex)
        {
            throw new BtfFormatException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads only a BTF file's header and checks it against the file's size: what can be known cheaply before
    /// the types are read (a truncated file, or one that is not BTF at all).</summary>
    /// <exception cref="Catalog.CatalogException">The file cannot be read, or is not BTF.</exception>
    public static void CheckHeader(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var header = new byte[MinimumHeaderLength];
            var read = file.ReadAtLeast(header, MinimumHeaderLength, throwOnEndOfStream: false);
            var length = file.CanSeek ? file.Length : -1;
            if (read < MinimumHeaderLength)
            {
                throw new BtfFormatException($"truncated: {read} bytes is shorter than the {MinimumHeaderLength}-byte BTF header");
            }

            var magic = BinaryPrimitives.ReadUInt16LittleEndian(header);
            if (magic is not (Magic or 0x9FEB))
            {
                throw new BtfFormatException($"not BTF: the magic number is 0x{magic:X4}, expected 0xEB9F");
            }

            var cursor = new Cursor(header, magic == 0x9FEB);
            var end = (long)cursor.U32(4) + Math.Max((long)cursor.U32(8) + cursor.U32(12), (long)cursor.U32(16) + cursor.U32(20));
            if (length > 0 && end > length)
            {
                throw new BtfFormatException($"truncated: the header describes {end} bytes and the file has {length}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Catalog.CatalogException($"cannot read {path}: {ex.Message}", ex);
        }
        catch (BtfFormatException ex)
        {
            throw new Catalog.CatalogException($"{path} is not valid BTF: {ex.Message}", ex);
        }
    }

    public static BtfTypeGraph Read(ReadOnlySpan<byte> data)
    {
        var (bigEndian, typeStart, typeEnd, strings) = Sections(data);
        var graph = new BtfTypeGraph(ReadTypes(new Cursor(data, bigEndian), typeStart, typeEnd, strings));
        graph.Validate();
        return graph;
    }

    /// <summary>Reads BTF lazily: the header and the string section are checked, and the type section is walked once to
    /// find where each type starts (its size follows from its kind and member count, each bounds-checked), without
    /// decoding any type. A type is decoded when it is first asked for. For the running kernel's own BTF, where reading
    /// all 125,000 types would cost a command a third of a second; a file from elsewhere is read whole with
    /// <see cref="Read"/>, which checks every reference first.</summary>
    public static BtfTypeGraph ReadLazy(byte[] data)
    {
        var (bigEndian, typeStart, typeEnd, strings) = Sections(data);
        var reader = new Cursor(data, bigEndian);
        var offsets = new List<int> { -1 };
        var kinds = new List<BtfKind> { BtfKind.Void };
        var names = new List<uint> { 0 };
        var position = typeStart;
        while (position < typeEnd)
        {
            var id = offsets.Count;
            if (typeEnd - position < 12)
            {
                throw new BtfFormatException($"truncated: type #{id} at byte {position} needs 12 bytes, {typeEnd - position} remain in the type section");
            }

            var info = reader.U32(position + 4);
            var kind = (BtfKind)((info >> 24) & 0x1F);
            var vlen = (int)(info & 0xFFFF);
            var trailing = kind switch
            {
                BtfKind.Int or BtfKind.Variable or BtfKind.DeclTag => 4,
                BtfKind.Array => 12,
                BtfKind.Struct or BtfKind.Union or BtfKind.Enum64 or BtfKind.DataSection => 12 * vlen,
                BtfKind.Enum or BtfKind.FunctionProto => 8 * vlen,
                BtfKind.Pointer or BtfKind.Forward or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                    or BtfKind.TypeTag or BtfKind.Function or BtfKind.Float => 0,
                _ => throw new BtfFormatException($"type #{id} at byte {position}: unknown kind {(int)kind} (info 0x{info:X8}); the data is corrupt or from a newer kernel"),
            };
            if (position + 12 + trailing > typeEnd)
            {
                throw new BtfFormatException(
                    $"truncated: type #{id} ({kind}) at byte {position} needs {trailing} more bytes, {typeEnd - position - 12} remain in the type section");
            }

            offsets.Add(position);
            kinds.Add(kind);
            names.Add(reader.U32(position));
            position += 12 + trailing;
        }

        return new BtfTypeGraph(new BtfLazyTypes(data, bigEndian, typeEnd, strings, [.. offsets], [.. kinds], [.. names]));
    }

    /// <summary>One type of a lazily read blob, decoded from where the walk found it.</summary>
    internal static BtfType DecodeAt(byte[] data, bool bigEndian, int id, int position, int end, StringTable strings) =>
        Decode(new Cursor(data, bigEndian), id, ref position, end, strings);

    private static (bool BigEndian, int TypeStart, int TypeEnd, StringTable Strings) Sections(ReadOnlySpan<byte> data)
    {
        if (data.Length < MinimumHeaderLength)
        {
            throw new BtfFormatException($"truncated: {data.Length} bytes is shorter than the {MinimumHeaderLength}-byte BTF header");
        }

        var bigEndian = BinaryPrimitives.ReadUInt16LittleEndian(data) switch
        {
            Magic => false,
            0x9FEB => true,
            var other => throw new BtfFormatException($"not BTF: the magic number is 0x{other:X4}, expected 0xEB9F"),
        };
        var reader = new Cursor(data, bigEndian);
        if (data[2] != 1)
        {
            throw new BtfFormatException($"unsupported BTF version {data[2]} (this reader knows version 1)");
        }

        var headerLength = reader.U32(4);
        if (headerLength < MinimumHeaderLength || headerLength > data.Length)
        {
            throw new BtfFormatException($"corrupt header: header length {headerLength} is outside 24..{data.Length}");
        }

        var typeStart = CheckedRange(headerLength, reader.U32(8), reader.U32(12), data.Length, "type");
        var stringStart = CheckedRange(headerLength, reader.U32(16), reader.U32(20), data.Length, "string");
        return (bigEndian, (int)typeStart, (int)(typeStart + reader.U32(12)), new StringTable(data.Slice((int)stringStart, (int)reader.U32(20)), (int)stringStart));
    }

    private static long CheckedRange(uint headerLength, uint offset, uint length, int total, string section)
    {
        var start = (long)headerLength + offset;
        var end = start + length;
        if (end > total)
        {
            throw new BtfFormatException(
                $"truncated: the header says the {section} section ends at byte {end}, but the data has {total} bytes");
        }

        return start;
    }

    private static ImmutableArray<BtfType> ReadTypes(Cursor reader, int start, int end, StringTable strings)
    {
        var types = ImmutableArray.CreateBuilder<BtfType>();
        types.Add(new BtfVoid());
        var position = start;
        while (position < end)
        {
            types.Add(Decode(reader, types.Count, ref position, end, strings));
        }

        return types.ToImmutable();
    }

    /// <summary>Reads the type that starts at <paramref name="position"/> (its id is <paramref name="id"/>) and moves
    /// <paramref name="position"/> past it.</summary>
    private static BtfType Decode(Cursor reader, int id, ref int position, int end, StringTable strings)
    {
        if (end - position < 12)
        {
            throw new BtfFormatException($"truncated: type #{id} at byte {position} needs 12 bytes, {end - position} remain in the type section");
        }

        var name = strings.Get(reader.U32(position), id);
        var info = reader.U32(position + 4);
        var sizeOrType = reader.U32(position + 8);
        var vlen = (int)(info & 0xFFFF);
        var kind = (BtfKind)((info >> 24) & 0x1F);
        var kindFlag = (info >> 31) != 0;
        var at = position;
        position += 12;

        var cursor = position;
        int Need(int bytes)
        {
            if (cursor + bytes > end)
            {
                throw new BtfFormatException(
                    $"truncated: type #{id} ({kind}) at byte {at} needs {bytes} more bytes, {end - cursor} remain in the type section");
            }

            var here = cursor;
            cursor += bytes;
            return here;
        }

        BtfType type;
        switch (kind)
        {
            case BtfKind.Int:
            {
                var p = Need(4);
                var encoding = reader.U32(p);
                var flags = (encoding >> 24) & 0x0F;
                type = new BtfInt(id, name, (int)sizeOrType, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0,
                    (int)((encoding >> 16) & 0xFF), (int)(encoding & 0xFF));
                break;
            }
            case BtfKind.Pointer:
                type = new BtfPointer(id, (int)sizeOrType);
                break;
            case BtfKind.Array:
            {
                var p = Need(12);
                type = new BtfArray(id, (int)reader.U32(p), (int)reader.U32(p + 4), reader.U32(p + 8));
                break;
            }
            case BtfKind.Struct or BtfKind.Union:
            {
                var p = Need(checked(12 * vlen));
                var members = ImmutableArray.CreateBuilder<BtfMember>(vlen);
                for (var i = 0; i < vlen; i++, p += 12)
                {
                    var offset = reader.U32(p + 8);
                    members.Add(kindFlag
                        ? new BtfMember(strings.Get(reader.U32(p), id), (int)reader.U32(p + 4), (int)(offset & 0xFFFFFF), (int)(offset >> 24))
                        : new BtfMember(strings.Get(reader.U32(p), id), (int)reader.U32(p + 4), (int)offset, 0));
                }

                type = new BtfComposite(id, name, kind == BtfKind.Union, (int)sizeOrType, members.MoveToImmutable());
                break;
            }
            case BtfKind.Enum:
            {
                var p = Need(checked(8 * vlen));
                var values = ImmutableArray.CreateBuilder<BtfEnumValue>(vlen);
                for (var i = 0; i < vlen; i++, p += 8)
                {
                    var raw = reader.U32(p + 4);
                    values.Add(new BtfEnumValue(strings.Get(reader.U32(p), id), kindFlag ? (int)raw : raw));
                }

                type = new BtfEnum(id, name, (int)sizeOrType, kindFlag, false, values.MoveToImmutable());
                break;
            }
            case BtfKind.Enum64:
            {
                var p = Need(checked(12 * vlen));
                var values = ImmutableArray.CreateBuilder<BtfEnumValue>(vlen);
                for (var i = 0; i < vlen; i++, p += 12)
                {
                    var value = (long)(((ulong)reader.U32(p + 8) << 32) | reader.U32(p + 4));
                    values.Add(new BtfEnumValue(strings.Get(reader.U32(p), id), value));
                }

                type = new BtfEnum(id, name, (int)sizeOrType, kindFlag, true, values.MoveToImmutable());
                break;
            }
            case BtfKind.Forward:
                type = new BtfForward(id, name, kindFlag);
                break;
            case BtfKind.Typedef:
                type = new BtfTypedef(id, name, (int)sizeOrType);
                break;
            case BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                type = new BtfModifier(id, kind, name, (int)sizeOrType);
                break;
            case BtfKind.Function:
                type = new BtfFunction(id, name, (int)sizeOrType, (BtfLinkage)vlen);
                break;
            case BtfKind.FunctionProto:
            {
                var p = Need(checked(8 * vlen));
                var parameters = ImmutableArray.CreateBuilder<BtfParameter>(vlen);
                var variadic = false;
                for (var i = 0; i < vlen; i++, p += 8)
                {
                    var parameterName = strings.Get(reader.U32(p), id);
                    var parameterType = (int)reader.U32(p + 4);
                    if (i == vlen - 1 && parameterType == 0 && parameterName.Length == 0)
                    {
                        variadic = true;
                    }
                    else
                    {
                        parameters.Add(new BtfParameter(parameterName, parameterType));
                    }
                }

                type = new BtfFunctionProto(id, (int)sizeOrType, parameters.ToImmutable(), variadic);
                break;
            }
            case BtfKind.Variable:
            {
                var p = Need(4);
                type = new BtfVariable(id, name, (int)sizeOrType, (BtfLinkage)reader.U32(p));
                break;
            }
            case BtfKind.DataSection:
            {
                var p = Need(checked(12 * vlen));
                var variables = ImmutableArray.CreateBuilder<BtfSectionVariable>(vlen);
                for (var i = 0; i < vlen; i++, p += 12)
                {
                    variables.Add(new BtfSectionVariable((int)reader.U32(p), (int)reader.U32(p + 4), (int)reader.U32(p + 8)));
                }

                type = new BtfDataSection(id, name, (int)sizeOrType, variables.MoveToImmutable());
                break;
            }
            case BtfKind.Float:
                type = new BtfFloat(id, name, (int)sizeOrType);
                break;
            case BtfKind.DeclTag:
            {
                var p = Need(4);
                type = new BtfDeclTag(id, name, (int)sizeOrType, (int)reader.U32(p));
                break;
            }
            default:
                throw new BtfFormatException($"type #{id} at byte {at}: unknown kind {(int)kind} (info 0x{info:X8}); the data is corrupt or from a newer kernel");
        }

        position = cursor;
        return type;
    }

    /// <summary>Reads 32-bit words in the file's byte order.</summary>
    internal readonly ref struct Cursor(ReadOnlySpan<byte> data, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> data = data;

        public uint U32(long offset)
        {
            var slice = data.Slice((int)offset, 4);
            return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(slice) : BinaryPrimitives.ReadUInt32LittleEndian(slice);
        }
    }

    /// <summary>The string section: NUL-terminated UTF-8, referenced by offset. Each offset is decoded once.</summary>
    internal sealed class StringTable
    {
        private readonly byte[] bytes;
        private readonly int fileOffset;
        private readonly Dictionary<uint, string> cache = [];

        public StringTable(ReadOnlySpan<byte> section, int fileOffset)
        {
            bytes = section.ToArray();
            this.fileOffset = fileOffset;
            if (bytes.Length > 0 && bytes[^1] != 0)
            {
                throw new BtfFormatException($"corrupt string section at byte {fileOffset}: it does not end with a NUL byte (truncated?)");
            }
        }

        public string Get(uint offset, int typeId)
        {
            if (offset == 0)
            {
                return string.Empty;
            }

            if (cache.TryGetValue(offset, out var known))
            {
                return known;
            }

            if (offset >= bytes.Length)
            {
                throw new BtfFormatException(
                    $"type #{typeId}: name offset {offset} is beyond the {bytes.Length}-byte string section (at byte {fileOffset})");
            }

            var end = Array.IndexOf(bytes, (byte)0, (int)offset);
            var value = Encoding.UTF8.GetString(bytes, (int)offset, end - (int)offset);
            cache[offset] = value;
            return value;
        }
    }
}
