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

    public static ProbeCatalog LoadLive(HostProbeOptions? options = null)
    {
        options ??= HostProbeOptions.Live;
        var host = HostProbe.Detect(options);
        byte[] raw = [];
        BtfTypeGraph? btf = null;
        if (host.BtfPath is not null)
        {
            var path = Path.Combine(options.Root, host.BtfPath.TrimStart('/'));
            try
            {
                raw = File.ReadAllBytes(path);
                btf = BtfReader.Read(raw);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CatalogException($"cannot read {host.BtfPath}: {ex.Message}", ex);
            }
            catch (BtfFormatException ex)
            {
                throw new CatalogException($"{host.BtfPath} is not valid BTF: {ex.Message}", ex);
            }
        }

        var tracepoints = host.TracingDirectory is null
            ? []
            : TracefsReader.ReadAll(Path.Combine(options.Root, host.TracingDirectory.TrimStart('/')));
        var symbols = KallsymsReader.ReadDataSymbols(Path.Combine(options.Root, "proc/kallsyms"));
        return new ProbeCatalog(host, btf, raw, tracepoints, symbols, $"live kernel {host.KernelRelease}");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
