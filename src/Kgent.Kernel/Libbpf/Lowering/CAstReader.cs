using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Libbpf.Lowering;

/// <summary>Reads clang's JSON syntax tree (<c>-Xclang -ast-dump=json</c>, one JSON value per declaration the dump
/// filter selects) into <see cref="CAstNode"/>s. clang writes a location's file only when it changes, so the reader walks
/// the locations in the order clang wrote them; lines and columns come from the byte offsets into the program's text.</summary>
public static class CAstReader
{
    /// <summary>The definition (with a body) of <paramref name="function"/> in the program's own file (clang names it as
    /// given on its command line, <paramref name="file"/>, or by its full path), or null.</summary>
    public static CAstNode? Function(string json, string function, string file, SourceText source)
    {
        var lines = new ByteLines(source.Text);
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 4096 });
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "kind") != "FunctionDecl" || Text(root, "name") != function)
            {
                continue;
            }

            var walk = new Walk(file, lines);
            var node = walk.Convert(root);
            if (node.Line > 0 && node.Inner.Any(n => n.Kind == "CompoundStmt"))
            {
                return node;
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed class Walk(string programFile, ByteLines lines)
    {
        private string? file;

        public CAstNode Convert(JsonElement element)
        {
            (int Line, int Column, bool Macro)? begin = null;
            int? end = null;
            var inner = ImmutableArray.CreateBuilder<CAstNode>();
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "loc":
                        var loc = Location(property.Value);
                        begin ??= loc;
                        break;
                    case "range":
                        if (property.Value.TryGetProperty("begin", out var first))
                        {
                            var position = Location(first);
                            if (position is not null)
                            {
                                begin = position;
                            }
                        }

                        if (property.Value.TryGetProperty("end", out var last))
                        {
                            end = Location(last)?.Line;
                        }

                        break;
                    case "inner" when property.Value.ValueKind == JsonValueKind.Array:
                        foreach (var child in property.Value.EnumerateArray())
                        {
                            if (child.ValueKind == JsonValueKind.Object)
                            {
                                inner.Add(Convert(child));
                            }
                        }

                        break;
                }
            }

            var type = element.TryGetProperty("type", out var t) ? t : default;
            CAstReference? referenced = null;
            if (element.TryGetProperty("referencedDecl", out var r) && r.ValueKind == JsonValueKind.Object)
            {
                referenced = new CAstReference(Text(r, "id") ?? string.Empty, Text(r, "kind") ?? string.Empty, Text(r, "name") ?? string.Empty,
                    r.TryGetProperty("type", out var rt) ? Text(rt, "qualType") : null);
            }

            return new CAstNode(Text(element, "kind") ?? "?", inner.ToImmutable())
            {
                Id = Text(element, "id"),
                Name = Text(element, "name"),
                Type = type.ValueKind == JsonValueKind.Object ? Text(type, "qualType") : null,
                DesugaredType = type.ValueKind == JsonValueKind.Object ? Text(type, "desugaredQualType") : null,
                Opcode = Text(element, "opcode"),
                Value = element.TryGetProperty("value", out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null,
                CastKind = Text(element, "castKind"),
                IsArrow = element.TryGetProperty("isArrow", out var a) && a.ValueKind == JsonValueKind.True,
                IsPostfix = element.TryGetProperty("isPostfix", out var p) && p.ValueKind == JsonValueKind.True,
                StorageClass = Text(element, "storageClass"),
                Referenced = referenced,
                Line = begin?.Line ?? 0,
                Column = begin?.Column ?? 0,
                FromMacro = begin?.Macro ?? false,
                EndLine = end ?? begin?.Line ?? 0,
            };
        }

        /// <summary>A location: a bare one, or a macro's spelling and expansion (the expansion is where the program uses
        /// it). Every bare location is read, in order, so the current file stays right.</summary>
        private (int Line, int Column, bool Macro)? Location(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (element.TryGetProperty("spellingLoc", out var spelling))
            {
                Bare(spelling);
                var expansion = element.TryGetProperty("expansionLoc", out var e) ? Bare(e) : null;
                return expansion is { } at ? (at.Line, at.Column, true) : null;
            }

            return Bare(element) is { } bare ? (bare.Line, bare.Column, false) : null;
        }

        private (int Line, int Column)? Bare(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("offset", out var offset) || !offset.TryGetInt32(out var at))
            {
                return null;
            }

            if (Text(element, "file") is { } named)
            {
                file = named;
            }

            return file is not null && (file == programFile || file == Path.GetFileName(programFile) || Path.GetFileName(file) == Path.GetFileName(programFile) && Path.IsPathRooted(file) && Path.IsPathRooted(programFile) && Path.GetFullPath(file) == Path.GetFullPath(programFile))
                ? lines.Position(at)
                : null;
        }
    }

    /// <summary>Line starts of the program's text in UTF-8 bytes, which clang's offsets count.</summary>
    private sealed class ByteLines
    {
        private readonly List<int> starts = [0];

        public ByteLines(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    starts.Add(i + 1);
                }
            }
        }

        public (int Line, int Column) Position(int offset)
        {
            var index = starts.BinarySearch(offset);
            var line = index >= 0 ? index : ~index - 1;
            return (line + 1, offset - starts[Math.Max(line, 0)] + 1);
        }
    }
}
