using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using Kgent.Kernel.KernelInfo.Btf;

namespace Kgent.Kernel.Libbpf.Objects;

/// <summary>A compiled BPF object (clang's <c>-target bpf</c> ELF), read without loading it: its programs with their
/// sections, entry functions, context types and code, its maps, its license, and the BTF line info that maps each
/// instruction back to a C line. What the semantic check, the safety policy and the verifier-log mapping read.</summary>
public sealed class BpfObjectFile
{
    private const ushort BtfMagic = 0xEB9F;

    private BpfObjectFile(string path, ImmutableArray<BpfProgramSection> programs, ImmutableArray<string> maps, string? license, BtfTypeGraph? btf)
    {
        Path = path;
        Programs = programs;
        Maps = maps;
        MapDefinitions = btf is null ? [] : [.. maps.Select(m => DefinitionOf(btf, m))];
        License = license;
        Btf = btf;
    }

    public string Path { get; }

    public ImmutableArray<BpfProgramSection> Programs { get; }

    /// <summary>The maps the object defines (BTF-style, in <c>SEC(".maps")</c>).</summary>
    public ImmutableArray<string> Maps { get; }

    /// <summary>The maps' declarations (type, size, key and value types), when the object has BTF.</summary>
    public ImmutableArray<BpfMapDefinition> MapDefinitions { get; }

    /// <summary>The <c>SEC("license")</c> string, when there is one.</summary>
    public string? License { get; }

    /// <summary>The object's own BTF (the types the program uses), when it was compiled with <c>-g</c>.</summary>
    public BtfTypeGraph? Btf { get; }

    /// <summary>Reads the object; a file that is not a BPF ELF object is a <see cref="BpfObjectException"/>.</summary>
    public static BpfObjectFile Read(string path)
    {
        if (!ELFReader.TryLoad(path, out var elf))
        {
            throw new BpfObjectException($"{path} is not an ELF object");
        }

        using (elf)
        {
            if ((ushort)elf.Machine != 247)
            {
                throw new BpfObjectException($"{path} is an ELF object for {elf.Machine}, not for BPF (compile with clang -target bpf)");
            }

            var sections = elf.Sections.ToList();
            var btfData = sections.FirstOrDefault(s => s.Name == ".BTF")?.GetContents();
            var btf = btfData is null ? null : TryReadBtf(btfData);
            var strings = btfData is null ? null : BtfStrings(btfData);
            var lines = sections.FirstOrDefault(s => s.Name == ".BTF.ext")?.GetContents() is { } ext && strings is not null
                ? ReadLineInfo(ext, strings)
                : new Dictionary<string, List<BpfLineInfo>>();
            var symbols = sections.OfType<ISymbolTable>().FirstOrDefault()?.Entries.OfType<SymbolEntry<ulong>>().ToList() ?? [];
            var programs = ImmutableArray.CreateBuilder<BpfProgramSection>();
            for (var index = 0; index < sections.Count; index++)
            {
                if (sections[index] is not Section<ulong> section || section.Type != SectionType.ProgBits
                    || (section.Flags & SectionFlags.Executable) == 0 || section.Size == 0)
                {
                    continue;
                }

                // The entry is the global function at offset 0 of the section (static functions there are subprograms).
                var entry = symbols.Where(s => s.Type == SymbolType.Function && s.PointedSectionIndex == index)
                    .OrderBy(s => s.Value).ThenBy(s => s.Binding == SymbolBinding.Global ? 0 : 1).FirstOrDefault();
                var function = entry?.Name ?? section.Name;
                programs.Add(new BpfProgramSection(section.Name, function, btf is null ? null : ContextTypeOf(btf, function),
                    Decode(section.GetContents()), [.. lines.GetValueOrDefault(section.Name) ?? []]));
            }

            var mapSection = sections.FindIndex(s => s.Name == ".maps");
            var maps = mapSection < 0 ? [] : symbols.Where(s => s.PointedSectionIndex == mapSection && s.Type == SymbolType.Object).Select(s => s.Name).ToImmutableArray();
            var license = sections.FirstOrDefault(s => s.Name == "license")?.GetContents() is { } bytes ? Encoding.ASCII.GetString(bytes).TrimEnd('\0') : null;
            return new BpfObjectFile(path, programs.ToImmutable(), maps, license, btf);
        }
    }

    /// <summary>A BTF-defined map: a variable in the <c>.maps</c> data section whose struct has <c>int (*type)[N]</c>,
    /// <c>int (*max_entries)[N]</c>, <c>KEY *key</c> and <c>VALUE *value</c> members (what libbpf's <c>__uint</c> and
    /// <c>__type</c> macros declare).</summary>
    private static BpfMapDefinition DefinitionOf(BtfTypeGraph btf, string name)
    {
        var section = btf.Types.OfType<BtfDataSection>().FirstOrDefault(d => d.Name == ".maps");
        var variable = section?.Variables.Select(v => btf[v.Type]).OfType<BtfVariable>().FirstOrDefault(v => v.Name == name);
        if (variable is null || btf.Resolve(variable.Type) is not BtfComposite definition)
        {
            return new BpfMapDefinition(name, null, null, null, null);
        }

        int? Number(string member) =>
            definition.Members.FirstOrDefault(m => m.Name == member) is { } found && btf.Resolve(found.Type) is BtfPointer pointer && btf.Resolve(pointer.Target) is BtfArray array
                ? (int)array.Count
                : null;
        int? Pointee(string member) =>
            definition.Members.FirstOrDefault(m => m.Name == member) is { } found && btf.Resolve(found.Type) is BtfPointer pointer ? pointer.Target : null;
        return new BpfMapDefinition(name, Number("type"), Number("max_entries"), Pointee("key"), Pointee("value"));
    }

    /// <summary>The struct or union a program's context parameter points at (<c>trace_event_raw_sys_enter</c>), through
    /// typedefs and qualifiers; null for other parameter types.</summary>
    private static string? ContextTypeOf(BtfTypeGraph btf, string function)
    {
        if (btf.FindFunction(function) is not { } entry || btf.PrototypeOf(entry) is not { Parameters: [var first, ..] })
        {
            return null;
        }

        return btf.Resolve(first.Type) is BtfPointer pointer && btf.Resolve(pointer.Target) is BtfComposite composite ? composite.Name : null;
    }

    private static BtfTypeGraph? TryReadBtf(byte[] data)
    {
        try
        {
            return BtfReader.Read(data);
        }
        catch (BtfFormatException)
        {
            return null;
        }
    }

    private static ImmutableArray<BpfInstruction> Decode(byte[] code)
    {
        var instructions = ImmutableArray.CreateBuilder<BpfInstruction>(code.Length / 8);
        for (var at = 0; at + 8 <= code.Length; at += 8)
        {
            var registers = code[at + 1];
            instructions.Add(new BpfInstruction(at / 8, code[at], (byte)(registers & 0xF), (byte)(registers >> 4),
                BinaryPrimitives.ReadInt16LittleEndian(code.AsSpan(at + 2)), BinaryPrimitives.ReadInt32LittleEndian(code.AsSpan(at + 4))));
        }

        return instructions.MoveToImmutable();
    }

    /// <summary>The BTF string section: header (magic, version, flags, hdr_len, type_off, type_len, str_off, str_len).</summary>
    private static byte[]? BtfStrings(byte[] btf)
    {
        if (btf.Length < 24 || BinaryPrimitives.ReadUInt16LittleEndian(btf) != BtfMagic)
        {
            return null;
        }

        var header = BinaryPrimitives.ReadUInt32LittleEndian(btf.AsSpan(4));
        var offset = header + BinaryPrimitives.ReadUInt32LittleEndian(btf.AsSpan(16));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(btf.AsSpan(20));
        return offset + length <= btf.Length ? btf.AsSpan((int)offset, (int)length).ToArray() : null;
    }

    /// <summary>The line info of <c>.BTF.ext</c>: header (magic, version, flags, hdr_len, func_info_off/len,
    /// line_info_off/len), then a record size and, per section, its name, a count and that many records
    /// (insn_off in bytes, file_name_off, line_off, line_col = line &lt;&lt; 10 | column).</summary>
    private static Dictionary<string, List<BpfLineInfo>> ReadLineInfo(byte[] ext, byte[] strings)
    {
        var result = new Dictionary<string, List<BpfLineInfo>>(StringComparer.Ordinal);
        if (ext.Length < 24 || BinaryPrimitives.ReadUInt16LittleEndian(ext) != BtfMagic)
        {
            return result;
        }

        var header = (int)BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(4));
        var start = header + (int)BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(16));
        var end = Math.Min(ext.Length, start + (int)BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(20)));
        if (start < header || start + 4 > end)
        {
            return result;
        }

        var recordSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(start));
        if (recordSize < 16)
        {
            return result;
        }

        var at = start + 4;
        while (at + 8 <= end)
        {
            var section = String(strings, BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(at)));
            var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(at + 4));
            at += 8;
            var list = new List<BpfLineInfo>();
            for (var i = 0; i < count && at + recordSize <= end; i++, at += recordSize)
            {
                var instruction = (int)(BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(at)) / 8);
                var file = String(strings, BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(at + 4)));
                var source = String(strings, BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(at + 8)));
                var lineColumn = BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(at + 12));
                list.Add(new BpfLineInfo(instruction, file, (int)(lineColumn >> 10), (int)(lineColumn & 0x3FF), source));
            }

            result[section] = [.. list.OrderBy(l => l.Instruction)];
        }

        return result;
    }

    private static string String(byte[] strings, uint offset)
    {
        if (offset >= strings.Length)
        {
            return string.Empty;
        }

        var end = Array.IndexOf(strings, (byte)0, (int)offset);
        return Encoding.UTF8.GetString(strings, (int)offset, (end < 0 ? strings.Length : end) - (int)offset);
    }
}
