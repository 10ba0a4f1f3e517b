using System.Diagnostics;
using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent catalog export FILE</c> and <c>kgent catalog info [--catalog F]</c>.</summary>
public static class CatalogCommand
{
    public static int Export(string path, TextWriter output, TextWriter error, ConsoleStyle style, string? bpftrace = null)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            Kgent.Kernel.Platform.SafeFile.CheckWritable(path);
        }
        catch (Kgent.Kernel.Platform.FileWriteException ex)
        {
            error.WriteLine($"kgent: error: {ex.Message}");
            return 2;
        }

        error.WriteLine("kgent: reading BTF, tracefs and kallsyms from the running kernel…");
        ProbeCatalog catalog;
        try
        {
            // The snapshot records the bpftrace in use (--bpftrace, KGENT_BPFTRACE or PATH): its release is the target of
            // programs checked against the snapshot elsewhere.
            using var workbench = CliWorkbench.Open(new WorkbenchOptions(Bpftrace: bpftrace), error, style);
            catalog = workbench.LoadLiveCatalog();
        }
        catch (WorkbenchException ex)
        {
            error.WriteLine($"kgent: error: {ex.Message}");
            return 2;
        }

        try
        {
            CatalogSnapshot.Write(catalog, path);
        }
        catch (Kgent.Kernel.Platform.FileWriteException ex)
        {
            error.WriteLine($"kgent: error: {ex.Message}");
            return 2;
        }

        var size = new FileInfo(path).Length;
        output.WriteLine(style.Good(
            $"wrote {path} ({size / 1024.0 / 1024.0:F1} MiB): kernel {catalog.Host.KernelRelease}, {catalog.Btf?.Count ?? 0:N0} BTF types, " +
            $"{catalog.TracepointCount:N0} tracepoints, {catalog.KernelDataSymbols.Count:N0} data symbols in {watch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
