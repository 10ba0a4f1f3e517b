namespace Kgent.Kernel.KernelInfo.Host.Bpftrace;

/// <summary>Runs <c>bpftrace --info</c> (bounded to 5 s) and returns its output, or null when bpftrace is absent
/// or fails. Only used for facts the file system does not show (kfunc and iter support need a test load).</summary>
public static class BpftraceInfoReader
{
    /// <summary>The <c>--info</c> of the bpftrace in use: <paramref name="spec"/>, else <c>KGENT_BPFTRACE</c>, else PATH's.</summary>
    public static string? Read(string? spec = null)
    {
        if (BpftraceInstallation.Resolve(spec, out _) is not { } bpftrace)
        {
            return null;
        }

        // What it said is kept for the next process while the binary, the kernel boot and the user are the same.
        return BpftraceFactsCache.GetOrAdd("info", bpftrace.Command, bpftrace.Root, () =>
            Processes.OwnedProcess.RunToEnd(new Processes.ChildCommand("bpftrace --info", bpftrace.Command[0], [.. bpftrace.Command.Skip(1), "--info"]),
                TimeSpan.FromSeconds(5)) is { } result
                ? (result.Stdout + result.Stderr, result.ExitCode == 0)
                : (null, false));
    }

    public static string? FindBpftrace() => FindOnPath("bpftrace");

    /// <summary>An executable on PATH, else in the usual system folders.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/usr/local/bin", "/sbin", "/bin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>The value of a <c>name: yes|no</c> line, or null when the line is absent.</summary>
    public static bool? Feature(string? info, string name)
    {
        if (info is null)
        {
            return null;
        }

        foreach (var line in info.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return trimmed[(name.Length + 1)..].Trim().StartsWith("yes", StringComparison.Ordinal);
            }
        }

        return null;
    }

    public static string? Version(string? info)
    {
        var line = info?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("version:", StringComparison.Ordinal));
        return line?["version:".Length..].Trim();
    }
}
