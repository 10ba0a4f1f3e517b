using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Cli.Commands;

/// <summary>Loads the catalog a command needs (a snapshot from <c>--catalog</c> or <c>KGENT_CATALOG</c>, else the
/// running kernel), turning failures into one clear line.</summary>
public static class CatalogSource
{
    public static ProbeCatalog? TryLoad(string? snapshotPath, TextWriter error) => TryLoad(snapshotPath, error, out _);

    public static ProbeCatalog? TryLoad(string? snapshotPath, TextWriter error, out string? problem)
    {
        try
        {
            problem = null;
            return CatalogLoader.Load(snapshotPath);
        }
        catch (CatalogException ex)
        {
            problem = ex.Message;
            error.WriteLine($"kgent: error: {ex.Message}");
            return null;
        }
    }

    /// <summary>The catalog when it can be read, else null: for commands that only use it for suggestions.</summary>
    public static ProbeCatalog? TryLoadOptional() => TryLoad(null, TextWriter.Null);
}
