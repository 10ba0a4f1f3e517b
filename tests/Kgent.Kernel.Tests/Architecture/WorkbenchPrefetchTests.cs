using Kgent.Kernel.Agent;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Architecture;

/// <summary>A workbench that prefetches (what <c>kgent synth</c> does) loads the same contracts and store as one that does
/// not, gives the contracts' notes once, and reports contracts that cannot be used where they are first used, as the
/// workbench error the command turns into one line and exit 2.</summary>
public sealed class WorkbenchPrefetchTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-prefetch-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private const string BadEntry = "contracts:\n  - tracepoint: nosuch:event\n    pre:\n      - \"args->x ==\"\n";

    private WorkbenchOptions Options(string contracts) =>
        new(Catalogs.SnapshotPath, contracts, Path.Combine(directory, $"{Guid.NewGuid():N}.db"), "offline") { SeedStore = false };

    [Fact]
    public void Prefetched_contracts_and_store_are_those_loaded_on_demand()
    {
        // The project's contracts and one entry that is not valid, so there is a note to give.
        var contractsDirectory = Directory.CreateDirectory(Path.Combine(directory, "contracts")).FullName;
        foreach (var file in Directory.GetFiles(SymbolicCases.ContractsDirectory, "*.yaml"))
        {
            File.Copy(file, Path.Combine(contractsDirectory, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(contractsDirectory, "zz-bad.yaml"), BadEntry);
        var plainNotes = new List<WorkbenchNote>();
        using var plain = new Workbench(Options(contractsDirectory), plainNotes.Add);
        var prefetchedNotes = new List<WorkbenchNote>();
        using var prefetched = new Workbench(Options(contractsDirectory), prefetchedNotes.Add);

        prefetched.Prefetch();
        var contracts = prefetched.Contracts;

        Assert.Equal(plain.Contracts.Contracts.Select(c => c.Title), contracts.Contracts.Select(c => c.Title));
        Assert.NotNull(contracts.Find("tracepoint:sock:inet_sock_set_state"));
        Assert.Equal(contractsDirectory, prefetched.ContractsPath);
        Assert.Contains(prefetchedNotes, n => n.Text.Contains("zz-bad.yaml", StringComparison.Ordinal));
        Assert.Equal(plainNotes.Select(n => n.Text), prefetchedNotes.Select(n => n.Text));
        Assert.Equal(0, prefetched.Examples.Count);
        Assert.True(File.Exists(prefetched.StorePath));
    }

    [Fact]
    public async Task Unusable_contracts_read_in_the_background_fail_the_loop_with_a_workbench_error()
    {
        var broken = Directory.CreateDirectory(Path.Combine(directory, "broken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(broken, "bad.yaml"), BadEntry);
        using var workbench = new Workbench(Options(broken));

        workbench.Prefetch();
        var loop = workbench.Loop(verifyInKernel: false);

        var error = await Assert.ThrowsAsync<WorkbenchException>(() => loop.RunAsync("count file opens by process name"));
        Assert.Contains("no usable contracts", error.Message, StringComparison.Ordinal);

        // Without a prefetch the same contracts fail at once, as before.
        using var plain = new Workbench(Options(broken));
        Assert.Contains("no usable contracts", Assert.Throws<WorkbenchException>(() => plain.Contracts).Message, StringComparison.Ordinal);
    }
}
