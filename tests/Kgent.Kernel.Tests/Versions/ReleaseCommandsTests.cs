using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Versions;

/// <summary><c>kgent check</c>, <c>verify</c> and <c>run</c> with <c>--bpftrace "chroot TREE bpftrace"</c>: the target
/// is the release that bpftrace reports, its dialect passes the checker, and the real release loads (with
/// <c>--dry-run</c>) and runs the program, its maps read from its JSON.</summary>
public sealed class ReleaseCommandsTests : IDisposable
{
    private const string NewerDialect = "tracepoint:syscalls:sys_enter_openat\n{\n  let $p = str(args.filename);\n  @opens[comm] = count();\n}\n";

    private readonly string directory = Directory.CreateTempSubdirectory("kgent-release-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Program(string text)
    {
        var path = Path.Combine(directory, $"p{Guid.NewGuid():N}.bt");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Bpftrace(string suite) => $"chroot {BpftraceTrees.Tree(suite)} bpftrace";

    /// <summary>Program files in the tree's temporary folders that contain <paramref name="marker"/>. A folder another
    /// test removes while this looks is simply not there.</summary>
    private static List<string> ProgramsInTree(string suite, string marker)
    {
        var found = new List<string>();
        foreach (var folder in Directory.GetDirectories(Path.Combine(BpftraceTrees.Tree(suite), "tmp"), "kgent-bpftrace-*"))
        {
            try
            {
                found.AddRange(Directory.GetFiles(folder).Where(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal)));
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
            }
        }

        return found;
    }

    [BpftraceTreeTheory("trixie")]
    [InlineData("trixie", "0.23.2")]
    public void Check_verify_and_run_with_0_23(string suite, string version) => CheckVerifyAndRun(suite, version);

    [BpftraceTreeTheory("sid")]
    [InlineData("sid", "0.27.1")]
    public void Check_verify_and_run_with_0_27(string suite, string version) => CheckVerifyAndRun(suite, version);

    [BpftraceTreeTheory("sid")]
    [InlineData("sid", "0.27.1")]
    public void A_snapshot_records_the_release_of_the_bpftrace_in_use_and_targets_it(string suite, string version)
    {
        var live = Kgent.Kernel.KernelInfo.Catalog.CatalogLoader.LoadLive(new Kgent.Kernel.KernelInfo.Host.HostProbeOptions("/",
            () => Kgent.Kernel.KernelInfo.Host.Bpftrace.BpftraceInfoReader.Read(Bpftrace(suite))));
        var path = Path.Combine(directory, "snapshot.kgcat");
        Kgent.Kernel.KernelInfo.Catalog.CatalogSnapshot.Write(live, path);
        var snapshot = Kgent.Kernel.KernelInfo.Catalog.CatalogSnapshot.Read(path);
        Assert.Equal("v" + version, snapshot.Host.BpftraceVersion);

        // Checked against the snapshot (on any machine), a program is held to that release, unless a choice overrides it.
        var (code, output, _) = CliHarness.Run("check", Program(NewerDialect), "--catalog", path);
        Assert.True(code == 0, output);
        Assert.Contains($"target: bpftrace {version} (the kernel catalog's bpftrace v{version})", output, StringComparison.Ordinal);
        var (older, olderOutput, _) = CliHarness.Run("check", Program(NewerDialect), "--catalog", path, "--target-version", "0.21");
        Assert.Equal(1, older);
        Assert.Contains("`let` needs bpftrace 0.22", olderOutput, StringComparison.Ordinal);
    }

    private void CheckVerifyAndRun(string suite, string version)
    {
        var file = Program(NewerDialect);
        var (code, output, error) = CliHarness.Run("check", file, "--bpftrace", Bpftrace(suite), "--catalog", Catalogs.SnapshotPath);
        Assert.True(code == 0, output + error);
        Assert.Contains($"target: bpftrace {version} (from {Bpftrace(suite)} --version)", output, StringComparison.Ordinal);

        // The same program on bookworm's 0.17 needs the newer release, and says so.
        var (oldCode, oldOutput, _) = CliHarness.Run("check", file, "--target-version", "0.17", "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(1, oldCode);
        Assert.Contains("error KG2701: `let` needs bpftrace 0.22", oldOutput, StringComparison.Ordinal);

        var (verified, verifyOutput, verifyError) = CliHarness.Run("verify", file, "--bpftrace", Bpftrace(suite));
        Assert.True(verified == 0, verifyOutput + verifyError);
        Assert.Contains("accepted by the kernel verifier", verifyOutput, StringComparison.Ordinal);

        // The program went into the tree's /tmp and is gone afterwards. Other tests load programs in the same tree at the
        // same time, so this one looks for its own by a name no other program has.
        var marker = "kgent_" + Guid.NewGuid().ToString("N")[..12];
        var (rejected, rejectOutput, _) = CliHarness.Run("verify", Program($"tracepoint:syscalls:sys_enter_kgent_nosuch {{ @{marker} = count(); }}\n"), "--bpftrace", Bpftrace(suite));
        Assert.Equal(1, rejected);
        Assert.Contains("sys_enter_kgent_nosuch", rejectOutput, StringComparison.Ordinal);
        Assert.Empty(ProgramsInTree(suite, marker));

        // The whole loop with that release: the offline model writes its dialect and the release loads the result.
        var (synthesized, synthOutput, synthError) = CliHarness.Run("synth", "print the path of every file being opened", "--model", "offline",
            "--bpftrace", Bpftrace(suite), "--store", Path.Combine(directory, "examples.db"), "--catalog", Catalogs.SnapshotPath);
        Assert.True(synthesized == 0, synthOutput + synthError);
        Assert.Contains("args.filename", synthOutput, StringComparison.Ordinal);
        Assert.Contains("kernel verifier", synthOutput, StringComparison.Ordinal);

        using var workload = DistinctProgram.Copy("cat");
        var (ran, runOutput, runError) = CliHarness.Run("run", file, "--bpftrace", Bpftrace(suite), "--duration", "20s",
            "--workload", $"{workload.Path} /etc/hostname > /dev/null");
        Assert.True(ran == 0, runOutput + runError);
        Assert.Contains($"@opens[{workload.Comm}]: ", runOutput, StringComparison.Ordinal);
        Assert.Contains("stopped by the workload's exit", runOutput, StringComparison.Ordinal);
    }
}
