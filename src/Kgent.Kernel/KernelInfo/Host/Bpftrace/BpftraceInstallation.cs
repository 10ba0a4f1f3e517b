using System.Collections.Concurrent;
using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Language;

namespace Kgent.Kernel.KernelInfo.Host.Bpftrace;

/// <summary>
/// The bpftrace Kgent runs: a command (a path, or a command line such as <c>chroot /srv/sid bpftrace</c>), the root
/// its files are seen from when that command is a chroot, and the release it reports with <c>--version</c>. It is
/// chosen by <c>--bpftrace SPEC</c>, else the <c>KGENT_BPFTRACE</c> environment variable, else the bpftrace on PATH.
/// </summary>
public sealed record BpftraceInstallation(ImmutableArray<string> Command, string? Root, Version? Version, string Spec)
{
    /// <summary>The environment variable that chooses the bpftrace, as <c>--bpftrace</c> does.</summary>
    public const string EnvironmentVariable = "KGENT_BPFTRACE";

    private static readonly ConcurrentDictionary<string, Version?> Versions = new(StringComparer.Ordinal);

    /// <summary>bpftrace 0.22 added <c>--dry-run</c>: attach every probe, then exit.</summary>
    public bool HasDryRun => Version is { } version && version >= new Version(0, 22, 0);

    /// <summary>Whether <c>-B line</c> exists (measured: 0.23.2 and 0.27.1 list it, 0.17 has only full and none). Without it
    /// 0.27.1 buffers stdout in a pipe, so the attach marker and printf lines would come only at exit.</summary>
    public bool HasLineBuffering => Version is { } version && version >= new Version(0, 23, 0);

    /// <summary>"bpftrace 0.27.1 (chroot /srv/sid bpftrace)".</summary>
    public string Describe() => $"bpftrace {(Version is { } v ? LanguageFeature.Name(v) : "of unknown version")} ({Spec})";

    /// <summary>Where a file of the host is for this bpftrace: inside the chroot, the path below its root.</summary>
    public string PathFor(string hostPath)
    {
        if (Root is null)
        {
            return hostPath;
        }

        var relative = Path.GetRelativePath(Root, hostPath);
        return relative.StartsWith("..", StringComparison.Ordinal) ? hostPath : "/" + relative.Replace('\\', '/');
    }

    /// <summary>The folder temporary program files go in: the chroot's /tmp, or the host's.</summary>
    public string TemporaryDirectory => Root is null ? Path.GetTempPath() : Path.Combine(Root, "tmp");

    /// <summary>The bpftrace to use: <paramref name="spec"/>, else <c>KGENT_BPFTRACE</c>, else the one on PATH; null, with
    /// the reason, when none runs.</summary>
    public static BpftraceInstallation? Resolve(string? spec, out string? problem)
    {
        spec = spec is { Length: > 0 } ? spec : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env : null;
        if (spec is null)
        {
            var found = BpftraceInfoReader.FindBpftrace();
            problem = found is null ? "bpftrace is not installed (not on PATH, /usr/sbin or /usr/bin)" : null;
            return found is null ? null : Create([found], null, found);
        }

        var words = Processes.CommandWords.Split(spec);
        if (words.Count == 0)
        {
            problem = "the bpftrace command is empty";
            return null;
        }

        string? root = null;
        if (Path.GetFileName(words[0]) == "chroot")
        {
            root = words.Skip(1).FirstOrDefault(w => !w.StartsWith('-'));
            if (root is null || !Directory.Exists(root))
            {
                problem = $"'{spec}': the chroot directory {(root is null ? "is missing" : $"{root} does not exist")}";
                return null;
            }

            root = Path.GetFullPath(root);
        }

        var executable = words[0];
        if (executable.Contains('/') ? !File.Exists(executable) : BpftraceInfoReader.FindOnPath(executable) is null)
        {
            problem = words.Count == 1 ? $"bpftrace not found at {executable}" : $"'{spec}': {executable} not found";
            return null;
        }

        problem = null;
        return Create([.. words], root, spec);
    }

    private static BpftraceInstallation Create(ImmutableArray<string> command, string? root, string spec) =>
        new(command, root, Versions.GetOrAdd(string.Join('\0', command), _ => ReadVersion(command, root)), spec);

    /// <summary>The release a bpftrace reports: "bpftrace v0.27.1" → 0.27.1; null when it does not run in 5 s. What it
    /// said is kept for the next process (<see cref="BpftraceFactsCache"/>).</summary>
    private static Version? ReadVersion(ImmutableArray<string> command, string? root)
    {
        var said = BpftraceFactsCache.GetOrAdd("version", command, root, () =>
        {
            var ran = Processes.OwnedProcess.RunToEnd(new Processes.ChildCommand("bpftrace --version", command[0], [.. command.Skip(1), "--version"]),
                TimeSpan.FromSeconds(5));
            var text = ran is { } r ? r.Stdout + "\n" + r.Stderr : null;
            return (text, text is not null && ParseVersion(text) is not null);
        });
        return said is null ? null : ParseVersion(said);
    }

    /// <summary>Reads "bpftrace v0.23.2" (or "bpftrace 0.17.0").</summary>
    public static Version? ParseVersion(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("bpftrace ", StringComparison.Ordinal)
                && LanguageFeatures.TryParseVersion(trimmed["bpftrace ".Length..].Split(' ', '-', '+')[0], out var version))
            {
                return version;
            }
        }

        return null;
    }
}
