using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Host;
using Kgent.Kernel.KernelInfo.Tracepoints;

namespace Kgent.Kernel.KernelInfo.Catalog;

/// <summary>Builds a <see cref="ProbeCatalog"/> from the running kernel or from a snapshot file.</summary>
public static class CatalogLoader
{
    /// <summary>The snapshot named by <paramref name="snapshotPath"/>, else the one named by <c>KGENT_CATALOG</c>,
    /// else the running kernel.</summary>
    private static readonly Lock SnapshotLock = new();
    private static (string Path, long Length, DateTime Written, ProbeCatalog Catalog)? lastSnapshot;

    /// <summary>A snapshot (<paramref name="snapshotPath"/>, else <c>KGENT_CATALOG</c>) or the running kernel. The last
    /// snapshot read is kept while its file is unchanged (a catalog is immutable), so a process that checks many programs
    /// reads it once.</summary>
    public static ProbeCatalog Load(string? snapshotPath = null)
    {
        var path = snapshotPath ?? NullIfEmpty(Environment.GetEnvironmentVariable("KGENT_CATALOG"));
        if (path is null)
        {
            return LoadLive();
        }

        var info = new FileInfo(path);
        lock (SnapshotLock)
        {
            if (info.Exists && lastSnapshot is { } last && last.Path == info.FullName && last.Length == info.Length && last.Written == info.LastWriteTimeUtc)
            {
                return last.Catalog;
            }
        }

        var catalog = CatalogSnapshot.Read(path);
        if (info.Exists)
        {
            lock (SnapshotLock)
            {
                lastSnapshot = (info.FullName, info.Length, info.LastWriteTimeUtc, catalog);
            }
        }

        return catalog;
    }

    /// <summary>The running kernel's catalog. Its parts are read when first needed (<see cref="ProbeCatalog.Lazy"/>): the
    /// tracepoints' names now (tracefs's <c>available_events</c>, one file), a format file when its tracepoint is looked up,
    /// the BTF (5 MB, 125k types here) when a type or function is, the data symbols (<c>/proc/kallsyms</c>) when a symbol
    /// is. A check of a tracepoint program reads a few small files, not all 2,300 formats and the BTF.</summary>
    public static ProbeCatalog LoadLive(HostProbeOptions? options = null)
    {
        options ??= HostProbeOptions.Live;
        var host = HostProbe.Detect(options);
        var btfPath = host.BtfPath is null ? null : Path.Combine(options.Root, host.BtfPath.TrimStart('/'));
        if (btfPath is not null)
        {
            BtfReader.CheckHeader(btfPath);
        }

        var raw = new Lazy<byte[]>(() =>
        {
            try
            {
                return btfPath is null ? [] : File.ReadAllBytes(btfPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CatalogException($"cannot read {host.BtfPath}: {ex.Message}", ex);
            }
        });

        BtfTypeGraph? ReadBtf()
        {
            if (btfPath is null)
            {
                return null;
            }

            try
            {
                return BtfReader.ReadLazy(raw.Value);
            }
            catch (BtfFormatException ex)
            {
                throw new CatalogException($"{host.BtfPath} is not valid BTF: {ex.Message}", ex);
            }
        }

        var tracing = host.TracingDirectory is null ? null : Path.Combine(options.Root, host.TracingDirectory.TrimStart('/'));
        var names = tracing is null ? [] : TracefsReader.ReadNames(tracing);
        return ProbeCatalog.Lazy(host, ReadBtf, () => raw.Value, names,
            (category, @event) => TracefsReader.ReadOne(tracing!, category, @event),
            () => tracing is null ? [] : TracefsReader.ReadAll(tracing),
            () => KallsymsReader.ReadDataSymbols(Path.Combine(options.Root, "proc/kallsyms")),
            $"live kernel {host.KernelRelease}");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
