using System.Diagnostics;
using Kgent.Kernel.Processes;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Processes;

/// <summary>The guarded child on its own: it reports the child's pid, forwards signals, kills the whole tree (even a
/// descendant in a session of its own) on Kill, and when its owner dies — here a real owner process killed with SIGKILL —
/// kills everything and removes the child's temporary folder. The run registry lists a child whose owner is gone.</summary>
public sealed class OwnedProcessTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-owned-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_guard_is_found_and_the_child_pid_is_the_childs()
    {
        Assert.NotNull(GuardBinary.Path);
        using var child = OwnedProcess.Start(new ChildCommand("test", "/bin/sleep", ["30"]));

        Assert.True(child.IsGuarded);
        Assert.NotEqual(child.GuardPid, child.Pid);
        Assert.Equal("sleep", ProcStat.Read(child.Pid)!.Command);
        Assert.Equal(child.GuardPid, ProcStat.Read(child.Pid)!.ParentPid);
    }

    [Fact]
    public void Kill_takes_the_child_its_group_and_a_descendant_that_left_both()
    {
        using var sleep = DistinctProgram.Copy("sleep");
        using var child = OwnedProcess.Start(new ChildCommand("test", "/bin/sh", ["-c", $"setsid {sleep.Path} 40 & {sleep.Path} 41 & wait"]));
        var clock = Stopwatch.StartNew();
        while (ProcStat.All().Count(p => p.Command == sleep.Comm) < 2 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(20);
        }

        Assert.Equal(2, ProcStat.All().Count(p => p.Command == sleep.Comm));
        child.Kill();

        Assert.True(child.HasExited);
        Assert.DoesNotContain(ProcStat.All(), p => p.Command == sleep.Comm && p.State != 'Z');
    }

    [Fact]
    public void Signals_reach_the_child_through_the_guard()
    {
        using var child = OwnedProcess.Start(new ChildCommand("test", "/bin/sh", ["-c", "trap 'exit 7' TERM; while :; do sleep 0.05; done"]));
        Thread.Sleep(300);

        child.Signal(PosixSignals.Terminate);

        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(5)));
        Assert.Equal(7, child.ExitCode);
    }

    [Fact]
    public void Secrets_are_not_in_a_childs_environment()
    {
        Kgent.Kernel.Platform.Secrets.RegisterVariable("KGENT_OWNED_TEST_SECRET");
        var result = OwnedProcess.RunToEnd(new ChildCommand("test", "/usr/bin/env", [])
        {
            Environment = new Dictionary<string, string> { ["KGENT_OWNED_TEST_VISIBLE"] = "yes" },
        }, TimeSpan.FromSeconds(5));

        Assert.NotNull(result);
        Assert.Contains("KGENT_OWNED_TEST_VISIBLE=yes", result.Value.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("KGENT_API_KEY=", result.Value.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_that_does_not_exist_is_a_clear_error()
    {
        var error = Assert.Throws<ChildStartException>(() => OwnedProcess.Start(new ChildCommand("test", "/nonexistent/bpftrace", [])));
        Assert.Contains("/nonexistent/bpftrace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_owner_is_killed_the_guard_kills_everything_and_removes_the_folder()
    {
        Assert.NotNull(GuardBinary.Path);
        using var sleep = DistinctProgram.Copy("sleep");
        var folder = Directory.CreateTempSubdirectory("kgent-owned-folder-").FullName;
        File.WriteAllText(Path.Combine(folder, "program.bt"), "BEGIN { }");
        // The owner: a shell that holds the guard's standard input, as Kgent does, and is then killed with SIGKILL.
        var owner = Process.Start(new ProcessStartInfo("/bin/sh",
            ["-c", $"sleep 300 | {GuardBinary.Path} --dir {folder} -- /bin/sh -c 'setsid {sleep.Path} 50 & {sleep.Path} 51'"])
        {
            RedirectStandardError = true,
        })!;
        var clock = Stopwatch.StartNew();
        while (ProcStat.All().Count(p => p.Command == sleep.Comm) < 2 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(20);
        }

        Assert.Equal(2, ProcStat.All().Count(p => p.Command == sleep.Comm));
        // The pipe's writer is the "sleep 300" of the owner's pipeline: killing it is the owner dying.
        var writer = ProcStat.All().Single(p => p.ParentPid == owner.Id && p.Command == "sleep");
        PosixSignals.Send(writer.Pid, PosixSignals.Kill);

        clock.Restart();
        while ((ProcStat.All().Any(p => p.Command == sleep.Comm && p.State != 'Z') || Directory.Exists(folder)) && clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            Thread.Sleep(20);
        }

        Assert.DoesNotContain(ProcStat.All(), p => p.Command == sleep.Comm && p.State != 'Z');
        Assert.False(Directory.Exists(folder), "the guard left the child's folder behind");
        Assert.True(owner.WaitForExit(5000));
    }

    [Fact]
    public void The_registry_lists_a_child_whose_owner_is_gone_and_cleans_it()
    {
        using var sleep = DistinctProgram.Copy("sleep");
        // An orphan: a process of its own group and session, recorded as started by an owner that has exited.
        var owner = Process.Start("/bin/true")!;
        owner.WaitForExit();
        var gone = new ProcessIdentity(owner.Id, 1);
        var orphan = Process.Start(new ProcessStartInfo("/usr/bin/setsid", [sleep.Path, "60"]))!;
        Thread.Sleep(200);
        var identity = ProcessIdentity.Of(orphan.Id)!;
        var folder = Directory.CreateTempSubdirectory("kgent-leftover-").FullName;
        var registry = new ChildRegistry(Path.Combine(directory, "run"));
        registry.Register(new ChildRecord("workload", $"{sleep.Path} 60", gone, identity, identity, folder, DateTimeOffset.UtcNow));

        var leftover = Assert.Single(registry.Leftovers());

        Assert.True(leftover.NeedsCleaning);
        Assert.Contains(leftover.Processes, p => p.Pid == orphan.Id);
        Assert.True(leftover.DirectoryExists);
        ChildRegistry.Clean(leftover);
        Assert.True(orphan.WaitForExit(2000));
        Assert.False(Directory.Exists(folder));
        Assert.Empty(registry.Leftovers());
    }

    [Fact]
    public void Doctor_lists_leftovers_and_clean_removes_them()
    {
        using var sleep = DistinctProgram.Copy("sleep");
        var owner = Process.Start("/bin/true")!;
        owner.WaitForExit();
        var orphan = Process.Start(new ProcessStartInfo("/usr/bin/setsid", [sleep.Path, "60"]))!;
        Thread.Sleep(200);
        var identity = ProcessIdentity.Of(orphan.Id)!;
        var run = Path.Combine(directory, "run");
        new ChildRegistry(run).Register(new ChildRecord("bpftrace", "bpftrace p.bt", new ProcessIdentity(owner.Id, 1), identity, identity, null, DateTimeOffset.UtcNow));
        var environment = new Dictionary<string, string?> { ["KGENT_RUN_DIR"] = run };

        var (code, output, _) = KgentProcess.Run(["doctor"], environment);
        Assert.Equal(1, code);
        Assert.Contains("FAIL leftovers", output, StringComparison.Ordinal);
        Assert.Contains($"1 process still running ({orphan.Id} {sleep.Comm})", output, StringComparison.Ordinal);
        Assert.Contains("fix: kgent doctor --clean", output, StringComparison.Ordinal);
        Assert.False(orphan.HasExited);

        (_, output, _) = KgentProcess.Run(["doctor", "--clean"], environment);
        Assert.Contains("cleaned up 1 leftover of earlier runs", output, StringComparison.Ordinal);
        Assert.True(orphan.WaitForExit(2000));
        (_, output, _) = KgentProcess.Run(["doctor"], environment);
        Assert.Contains("nothing left behind by earlier runs", output, StringComparison.Ordinal);
    }
}
