using System.Collections.Immutable;
using System.IO.Hashing;
using System.Text;

namespace Kgent.Kernel.KernelInfo.Host.Bpftrace;

/// <summary>
/// What a bpftrace says of itself (<c>--version</c>, <c>--info</c>) costs a child process, a tenth of a second or more;
/// it is kept on disk and used again while it cannot have changed: the key is the command, the bpftrace binary's
/// identity (path, and the size and modification time of the file it links to), the kernel's release and boot id (<c>--info</c> reports what this
/// kernel can do) and the user (privileges change what it can test). Kept in <c>$XDG_CACHE_HOME/kgent/bpftrace</c>
/// (default <c>~/.cache</c>), or <c>KGENT_CACHE</c>; <c>KGENT_CACHE=off</c> turns it off.
/// </summary>
public static class BpftraceFactsCache
{
    public const string EnvironmentVariable = "KGENT_CACHE";

    /// <summary>The cached answer for <paramref name="question"/> (<c>version</c>, <c>info</c>) of this bpftrace, else
    /// <paramref name="ask"/>'s, which is kept when it says so (a bpftrace that failed is asked again next time).</summary>
    public static string? GetOrAdd(string question, ImmutableArray<string> command, string? root, Func<(string? Answer, bool Keep)> ask)
    {
        if (Directory() is not { } directory || Key(question, command, root) is not { } key)
        {
            return ask().Answer;
        }

        var path = Path.Combine(directory, key + ".txt");
        try
        {
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ask().Answer;
        }

        var (answer, keep) = ask();
        if (answer is not null && keep)
        {
            try
            {
                System.IO.Directory.CreateDirectory(directory);
                Platform.SafeFile.WriteAllText(path, answer);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Platform.FileWriteException)
            {
                // A cache that cannot be written is only slower.
            }
        }

        return answer;
    }

    /// <summary>The cache folder, or null when caching is off.</summary>
    public static string? Directory()
    {
        var chosen = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (chosen is "off" or "0" or "none")
        {
            return null;
        }

        var cache = chosen is { Length: > 0 } ? chosen
            : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "kgent")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kgent");
        return Path.Combine(cache, "bpftrace");
    }

    /// <summary>A digest of everything the answer depends on; null when the binary cannot be found (no caching then).</summary>
    private static string? Key(string question, ImmutableArray<string> command, string? root)
    {
        var binaries = Binaries(command, root).Where(File.Exists).ToList();
        if (binaries.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        text.Append(question).Append('\n').AppendJoin('\0', command).Append('\n');
        foreach (var binary in binaries)
        {
            // A link (PATH's bpftrace is often one) is known by what it points at.
            var info = new FileInfo(Target(binary));
            text.Append(binary).Append(" -> ").Append(info.FullName).Append(' ').Append(info.Length).Append(' ').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        text.Append(Read("/proc/sys/kernel/osrelease")).Append('\n').Append(Read("/proc/sys/kernel/random/boot_id")).Append('\n').Append(Environment.UserName);
        // A non-cryptographic digest: the first SHA-256 of a process costs 25 ms of OpenSSL start-up, more than the cache saves.
        return Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The files that are the bpftrace: the command's executable, and inside a chroot the bpftrace there.</summary>
    private static IEnumerable<string> Binaries(ImmutableArray<string> command, string? root)
    {
        var executable = command[0].Contains('/') ? command[0] : BpftraceInfoReader.FindOnPath(command[0]);
        if (executable is not null)
        {
            yield return executable;
        }

        if (root is not null)
        {
            yield return Path.Combine(root, "usr", "bin", "bpftrace");
            yield return Path.Combine(root, "usr", "sbin", "bpftrace");
        }
    }

    private static string Target(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return path;
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
