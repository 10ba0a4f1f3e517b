using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Tests.Support;

/// <summary>The checked-in catalog snapshot (kernel 6.18.44, exported on the CI machine type) and, lazily, the
/// running kernel's catalog. Both are loaded once per test run.</summary>
public static class Catalogs
{
    public static string SnapshotPath { get; } = Path.Combine(AppContext.BaseDirectory, "Catalog", "host-6.18.44.kgcat");

    private static readonly Lazy<ProbeCatalog> SnapshotCatalog = new(() => CatalogSnapshot.Read(SnapshotPath));
    private static readonly Lazy<ProbeCatalog> LiveCatalog = new(() => CatalogLoader.LoadLive());

    public static ProbeCatalog Snapshot => SnapshotCatalog.Value;

    public static ProbeCatalog Live => LiveCatalog.Value;
}
