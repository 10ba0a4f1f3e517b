using System.Text.Json;
using Kgent.Kernel.Platform;

namespace Kgent.Kernel.Processes;

/// <summary>The run registry: one small file per guarded child in the run folder (<c>KGENT_RUN_DIR</c>, else
/// <c>/run/kgent</c> as root, else <c>$XDG_RUNTIME_DIR/kgent</c>, else a per-user folder in the temporary folder).
/// The guard already kills a child whose Kgent is gone; the registry is the second line: it finds what survived even the
/// guard (a descendant that left the child's process group while the guard was killed too) and the temporary folders,
/// so that <c>kgent doctor</c> lists them and the next run cleans them up.</summary>
public sealed class ChildRegistry(string directory)
{
    private static int reaped;

    public string Directory { get; } = directory;

    public static ChildRegistry Default => new(DefaultDirectory());

    public static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable("KGENT_RUN_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }

        if (Environment.UserName == "root" && System.IO.Directory.Exists("/run"))
        {
            return "/run/kgent";
        }

        return Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime
            ? Path.Combine(runtime, "kgent")
            : Path.Combine(Path.GetTempPath(), $"kgent-{Environment.UserName}");
    }

    /// <summary>Writes a child's record; returns its path, or null when the run folder cannot be written (the child is still
    /// guarded; it is only not listed).</summary>
    public string? Register(ChildRecord record)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var path = Path.Combine(Directory, $"{record.Guard.Pid}-{record.Guard.StartTicks}.json");
            SafeFile.WriteAllText(path, JsonSerializer.Serialize(record, ChildRecordJson.Default.ChildRecord));
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static void Remove(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale record is found and removed by the next run.
        }
    }

    /// <summary>The records whose owner no longer runs, with whatever of them is left.</summary>
    public IReadOnlyList<Leftover> Leftovers()
    {
        var leftovers = new List<Leftover>();
        string[] files;
        try
        {
            files = System.IO.Directory.Exists(Directory) ? System.IO.Directory.GetFiles(Directory, "*.json") : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return leftovers;
        }

        IReadOnlyList<ProcStat>? all = null;
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            ChildRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(File.ReadAllText(file), ChildRecordJson.Default.ChildRecord);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                continue;
            }

            if (record is null || record.Owner.IsAlive)
            {
                continue;
            }

            all ??= ProcStat.All();
            leftovers.Add(new Leftover(record, file, [.. Survivors(record, all)], record.Directory is { } d && IsOurs(d) && System.IO.Directory.Exists(d)));
        }

        return leftovers;
    }

    /// <summary>Kills what is left of a leftover (SIGKILL), removes its temporary folder and its record. Returns what it did.</summary>
    public static string Clean(Leftover leftover)
    {
        foreach (var process in leftover.Processes)
        {
            PosixSignals.Send(process.Pid, PosixSignals.Kill);
        }

        if (leftover.DirectoryExists && leftover.Record.Directory is { } directory)
        {
            RemoveFolder(directory);
        }

        Remove(leftover.RecordPath);
        return leftover.Processes.Count == 0 && !leftover.DirectoryExists
            ? $"removed the stale record of {leftover.Record.Label} (kgent {leftover.Record.Owner.Pid})"
            : $"cleaned up after {leftover.Describe()}";
    }

    /// <summary>Raised (on the reaping thread) for each leftover the automatic reap cleaned up, with what it did; the
    /// command line prints these as notes.</summary>
    public static event Action<string>? Reaped;

    /// <summary>Cleans every leftover, once per process (the first bpftrace of a run does this); returns what it did.</summary>
    public IReadOnlyList<string> ReapOnce()
    {
        if (Interlocked.Exchange(ref reaped, 1) == 1)
        {
            return [];
        }

        var done = new List<string>();
        foreach (var leftover in Leftovers())
        {
            var message = Clean(leftover);
            done.Add(message);
            if (leftover.NeedsCleaning)
            {
                Reaped?.Invoke(message);
            }
        }

        return done;
    }

    /// <summary>The record's processes still running: the guard and the child themselves (same pid and start time), and any
    /// process still in the child's process group and the guard's session (where a workload's descendants live).</summary>
    private static IEnumerable<ProcStat> Survivors(ChildRecord record, IReadOnlyList<ProcStat> all)
    {
        foreach (var process in all)
        {
            if (process.State is 'Z' or 'X')
            {
                continue;
            }

            var isGuard = process.Pid == record.Guard.Pid && process.StartTicks == record.Guard.StartTicks;
            var isChild = record.Child is { } child && process.Pid == child.Pid && process.StartTicks == child.StartTicks;
            var inGroup = record.Child is { } leader && process.ProcessGroup == leader.Pid && process.Session == record.Guard.Pid
                && process.StartTicks >= record.Guard.StartTicks;
            if (isGuard || isChild || inGroup)
            {
                yield return process;
            }
        }
    }

    /// <summary>Only folders Kgent made for its children: in the temporary folder, named kgent-….</summary>
    private static bool IsOurs(string directory) => Path.GetFileName(directory.TrimEnd('/')).StartsWith("kgent-", StringComparison.Ordinal);

    internal static void RemoveFolder(string directory)
    {
        try
        {
            var info = new DirectoryInfo(directory);
            if (!IsOurs(directory) || !info.Exists || info.LinkTarget is not null)
            {
                return;
            }

            foreach (var file in info.EnumerateFiles())
            {
                file.Delete();
            }

            info.Delete(recursive: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Listed again by kgent doctor.
        }
    }
}
