using System.IO.Compression;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.KernelInfo;

public sealed class CatalogSnapshotTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-catalog-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Checked_in_snapshot_describes_the_ci_kernel()
    {
        var catalog = Catalogs.Snapshot;
        Assert.StartsWith("6.18.44", catalog.Host.KernelRelease);
        Assert.True(catalog.TracepointCount > 2000);
        Assert.NotNull(catalog.FindTracepoint("sock", "inet_sock_set_state"));
        Assert.NotNull(catalog.Btf?.FindFunction("tcp_connect"));
        Assert.False(catalog.Host.CanAttach(Probes.ProbeType.Kprobe));
    }

    [Fact]
    public void Write_then_read_gives_the_same_catalog()
    {
        var path = Path.Combine(directory, "copy.kgcat");
        CatalogSnapshot.Write(Catalogs.Snapshot, path);
        var copy = CatalogSnapshot.Read(path);
        Assert.Equal(Catalogs.Snapshot.TracepointCount, copy.TracepointCount);
        Assert.Equal(Catalogs.Snapshot.Btf!.Count, copy.Btf!.Count);
        Assert.Equal(Catalogs.Snapshot.Host.ProbeTypes.ToList(), copy.Host.ProbeTypes.ToList());
        Assert.Equal(Catalogs.Snapshot.KernelDataSymbols.Order(), copy.KernelDataSymbols.Order());
        Assert.Equal(
            Catalogs.Snapshot.FindTracepoint("syscalls", "sys_enter_openat")!.Fields.ToList(),
            copy.FindTracepoint("syscalls", "sys_enter_openat")!.Fields.ToList());
        Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
    }

    [Fact]
    public void Missing_snapshot_says_how_to_make_one()
    {
        var error = Assert.Throws<CatalogException>(() => CatalogSnapshot.Read(Path.Combine(directory, "none.kgcat")));
        Assert.Contains("kgent catalog export", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_rejected_clearly()
    {
        var path = Path.Combine(directory, "text.kgcat");
        File.WriteAllText(path, "not a catalog");
        var error = Assert.Throws<CatalogException>(() => CatalogSnapshot.Read(path));
        Assert.Contains("not a Kgent catalog snapshot", error.Message);
    }

    [Fact]
    public void A_zip_without_catalog_json_or_with_a_newer_version_is_rejected_clearly()
    {
        var empty = Path.Combine(directory, "empty.kgcat");
        using (var archive = ZipFile.Open(empty, ZipArchiveMode.Create))
        {
            archive.CreateEntry("other.txt");
        }

        Assert.Contains("no catalog.json", Assert.Throws<CatalogException>(() => CatalogSnapshot.Read(empty)).Message);

        var newer = Path.Combine(directory, "newer.kgcat");
        using (var archive = ZipFile.Open(newer, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("catalog.json").Open());
            writer.Write("""{"format":"kgent-catalog","version":99,"host":null}""");
        }

        Assert.Contains("version 99", Assert.Throws<CatalogException>(() => CatalogSnapshot.Read(newer)).Message);
    }

    [Fact]
    public void Corrupt_btf_inside_a_snapshot_is_named()
    {
        var path = Path.Combine(directory, "corrupt.kgcat");
        CatalogSnapshot.Write(Catalogs.Snapshot, path);
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            archive.GetEntry("vmlinux.btf")!.Delete();
            using var stream = archive.CreateEntry("vmlinux.btf").Open();
            stream.Write(Catalogs.Snapshot.RawBtf.Span[..5000]);
        }

        var error = Assert.Throws<CatalogException>(() => CatalogSnapshot.Read(path));
        Assert.Contains("vmlinux.btf", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [BpftraceFact]
    public void Probe_listing_matches_bpftrace_l()
    {
        var start = new System.Diagnostics.ProcessStartInfo(Host.BpftracePath!, ["-l", "tracepoint:syscalls:sys_enter_open*"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var expected = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        process.WaitForExit();
        var ours = Catalogs.Live.ListProbes("tracepoint:syscalls:sys_enter_open*").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ours);
    }
}
