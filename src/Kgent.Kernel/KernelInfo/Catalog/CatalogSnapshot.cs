using System.Collections.Immutable;
using System.IO.Compression;
using System.Text.Json.Serialization;
using System.Text.Json;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Host;
using Kgent.Kernel.KernelInfo.Tracepoints;

namespace Kgent.Kernel.KernelInfo.Catalog;

/// <summary>A catalog in one file: a zip archive holding <c>catalog.json</c> (format version, host facts,
/// tracepoints and their fields, kernel data symbols) and <c>vmlinux.btf</c> (the kernel's BTF, unchanged, so
/// <c>bpftool btf dump file</c> can read it too). Writes go to a temporary file that replaces the target only
/// when complete, so an interrupted export never leaves a half-written snapshot.</summary>
public static class CatalogSnapshot
{
    public const string FormatName = "kgent-catalog";
    public const int FormatVersion = 1;
    private const string CatalogEntry = "catalog.json";
    private const string BtfEntry = "vmlinux.btf";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes the snapshot file atomically (<see cref="Platform.SafeFile"/>).</summary>
    /// <exception cref="Platform.FileWriteException">The path cannot be written (a device, a missing folder, …).</exception>
    public static void Write(ProbeCatalog catalog, string path) => Platform.SafeFile.Write(path, stream => Write(catalog, stream));

    public static void Write(ProbeCatalog catalog, Stream stream)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var document = new SnapshotDocument(
            FormatName,
            FormatVersion,
            catalog.Host,
            [.. catalog.Tracepoints.Select(t => new SnapshotTracepoint(t.Category, t.Event, t.Id, t.Fields))],
            [.. catalog.KernelDataSymbols.Order(StringComparer.Ordinal)]);
        using (var entry = archive.CreateEntry(CatalogEntry, CompressionLevel.SmallestSize).Open())
        {
            JsonSerializer.Serialize(entry, document, JsonOptions);
        }

        if (!catalog.RawBtf.IsEmpty)
        {
            using var entry = archive.CreateEntry(BtfEntry, CompressionLevel.SmallestSize).Open();
            entry.Write(catalog.RawBtf.Span);
        }
    }

    public static ProbeCatalog Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CatalogException($"catalog snapshot '{path}' does not exist; create one with: kgent catalog export {path}");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream, $"snapshot {path}");
        }
        catch (CatalogException ex)
        {
            throw new CatalogException($"{path}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CatalogException($"cannot read catalog snapshot '{path}': {ex.Message}", ex);
        }
    }

    public static ProbeCatalog Read(Stream stream, string source)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new CatalogException($"not a Kgent catalog snapshot (not a zip archive: {ex.Message}); create one with 'kgent catalog export FILE'", ex);
        }

        using (archive)
        {
            var catalogEntry = archive.GetEntry(CatalogEntry)
                ?? throw new CatalogException($"not a Kgent catalog snapshot: the archive has no {CatalogEntry}");
            SnapshotDocument? document;
            try
            {
                using var json = catalogEntry.Open();
                document = JsonSerializer.Deserialize<SnapshotDocument>(json, JsonOptions);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or NotSupportedException)
            {
                throw new CatalogException($"{CatalogEntry} is corrupt: {ex.Message}", ex);
            }

            if (document is null || document.Format != FormatName)
            {
                throw new CatalogException($"not a Kgent catalog snapshot ({CatalogEntry} does not say format \"{FormatName}\")");
            }

            if (document.Version != FormatVersion)
            {
                throw new CatalogException($"snapshot format version {document.Version} is not supported (this Kgent reads version {FormatVersion}); re-export it with this Kgent");
            }

            byte[] raw = [];
            BtfTypeGraph? btf = null;
            var btfEntry = archive.GetEntry(BtfEntry);
            if (btfEntry is not null)
            {
                try
                {
                    raw = new byte[btfEntry.Length];
                    using var data = btfEntry.Open();
                    data.ReadExactly(raw);
                    btf = BtfReader.Read(raw);
                }
                catch (BtfFormatException ex)
                {
                    throw new CatalogException($"{BtfEntry} in the snapshot is not valid BTF: {ex.Message}", ex);
                }
                catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
                {
                    throw new CatalogException($"{BtfEntry} in the snapshot is corrupt: {ex.Message}", ex);
                }
            }

            var tracepoints = (document.Tracepoints ?? []).Select(t => new TracepointFormat(t.Category, t.Event, t.Id, t.Fields.IsDefault ? [] : t.Fields));
            return new ProbeCatalog(document.Host, btf, raw, tracepoints, document.KernelDataSymbols ?? [], source);
        }
    }

    private sealed record SnapshotDocument(
        string Format,
        int Version,
        HostInfo Host,
        ImmutableArray<SnapshotTracepoint>? Tracepoints,
        ImmutableArray<string>? KernelDataSymbols);

    private sealed record SnapshotTracepoint(string Category, string Event, int Id, ImmutableArray<TracepointField> Fields);
}
