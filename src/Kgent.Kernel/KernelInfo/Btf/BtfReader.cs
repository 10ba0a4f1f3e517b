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

    public static BtfTypeGraph Read(ReadOnlySpan<byte> data)
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
        var version = data[2];
        if (version != 1)
        {
            throw new BtfFormatException($"unsupported BTF version {version} (this reader knows version 1)");
        }

        var headerLength = reader.U32(4);
        var typeOffset = reader.U32(8);
        var typeLength = reader.U32(12);
        var stringOffset = reader.U32(16);
        var stringLength = reader.U32(20);
        if (headerLength < MinimumHeaderLength || headerLength > data.Length)
        {
            throw new BtfFormatException($"corrupt header: header length {headerLength} is outside 24..{data.Length}");
        }

        var typeStart = CheckedRange(headerLength, typeOffset, typeLength, data.Length, "type");
        var stringStart = CheckedRange(headerLength, stringOffset, stringLength, data.Length, "string");
        var strings = new StringTable(data.Slice((int)stringStart, (int)stringLength), (int)stringStart);
        var types = ReadTypes(reader, (int)typeStart, (int)(typeStart + typeLength), strings);
        var graph = new BtfTypeGraph(types);
        graph.Validate();
        return graph;
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
            var id = types.Count;
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

            int Need(int bytes)
            {
                if (position + bytes > end)
                {
                    throw new BtfFormatException(
                        $"truncated: type #{id} ({kind}) at byte {at} needs {bytes} more bytes, {end - position} remain in the type section");
                }

                var here = position;
                position += bytes;
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

            types.Add(type);
        }

        return types.ToImmutable();
    }

    /// <summary>Reads 32-bit words in the file's byte order.</summary>
    private readonly ref struct Cursor(ReadOnlySpan<byte> data, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> data = data;

        public uint U32(long offset)
        {
            var slice = data.Slice((int)offset, 4);
            return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(slice) : BinaryPrimitives.ReadUInt32LittleEndian(slice);
        }
    }

    /// <summary>The string section: NUL-terminated UTF-8, referenced by offset. Each offset is decoded once.</summary>
    private sealed class StringTable
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
