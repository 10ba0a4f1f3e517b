using System.Security.Cryptography;
using System.Text;

namespace Kgent.Kernel.Platform;

/// <summary>The one way Kgent writes a file (reports, transcripts, snapshots, queries, a formatted program, the run
/// registry). A write goes to a sibling temporary file that is flushed to disk and renamed over the target, so a failure
/// leaves the target as it was and a reader never sees half a file. The rules:
/// <list type="bullet">
/// <item>a regular file is replaced, keeping its permission bits, owner and group;</item>
/// <item>a symbolic link is followed: the file it names is replaced and the link stays (a link to nothing is refused);</item>
/// <item>devices, FIFOs, sockets and folders are refused, and so are read-only files (no owner write bit: root could write
/// them, Kgent does not), set-user-ID and set-group-ID files (rewriting them would either drop the bit or give new content
/// its privileges) and files with several hard links (the rename would split them);</item>
/// <item>a missing folder is an error, never created.</item>
/// </list>
/// Every refusal and failure is a <see cref="FileWriteException"/> whose message names the file.</summary>
public static class SafeFile
{
    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        stream.Write(bytes);
    });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Writes the file through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Kgent writes files with POSIX semantics; it runs on Linux");
        }

        var target = Resolve(path);
        var directory = Path.GetDirectoryName(target.Path)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target.Path)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}.kgent-tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                // A new file gets the usual 0666 less the umask; an existing one starts private and takes the target's mode below.
                UnixCreateMode = target.Existing is null
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temporary, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            if (target.Existing is { } existing)
            {
                File.SetUnixFileMode(temporary, existing.Mode);
                var current = FileStatus.Of(temporary);
                if (current is not null && (current.Owner != existing.Owner || current.Group != existing.Group)
                    && !FileStatus.SetOwner(temporary, existing.Owner, existing.Group))
                {
                    throw new FileWriteException($"cannot write {Describe(path, target.Path)}: its owner ({existing.Owner}:{existing.Group}) could not be kept; run as that user or as root");
                }
            }

            File.Move(temporary, target.Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileWriteException)
        {
            TryDelete(temporary);
            throw new FileWriteException($"cannot write {Describe(path, target.Path)}: {e.Message}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Appends text to a file under the same rules (for logs such as an evaluation's results.jsonl, where a torn
    /// last line is expected and handled by the reader).</summary>
    public static void AppendAllText(string path, string text)
    {
        var target = Resolve(path);
        try
        {
            using var stream = new FileStream(target.Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(new UTF8Encoding(false).GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileWriteException($"cannot write {Describe(path, target.Path)}: {e.Message}", e);
        }
    }

    /// <summary>Checks that <paramref name="path"/> may be written (or created) under these rules; the path to write.</summary>
    /// <exception cref="FileWriteException">It may not.</exception>
    public static string CheckWritable(string path) => Resolve(path).Path;

    private sealed record Target(string Path, FileStatus? Existing);

    private static Target Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new FileWriteException("cannot write a file with an empty name");
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new FileWriteException($"cannot write {path}: {e.Message}");
        }

        var status = Status(path, full);
        if (status is { Kind: FileKind.SymbolicLink })
        {
            FileSystemInfo? final;
            try
            {
                final = File.ResolveLinkTarget(full, returnFinalTarget: true);
            }
            catch (IOException e)
            {
                throw new FileWriteException($"cannot write {path}: it is a symbolic link that cannot be followed ({e.Message})");
            }

            if (final is null || Status(path, final.FullName) is not { } finalStatus)
            {
                throw new FileWriteException($"cannot write {path}: it is a symbolic link to {final?.FullName ?? "nothing"}, which does not exist; Kgent follows links only to existing files");
            }

            full = final.FullName;
            status = finalStatus;
        }

        var shown = Describe(path, full);
        switch (status?.Kind)
        {
            case null:
                var directory = Path.GetDirectoryName(full);
                if (directory is null || !Directory.Exists(directory))
                {
                    throw new FileWriteException($"cannot write {shown}: the folder {directory} does not exist (create it first)");
                }

                return new Target(full, null);
            case FileKind.Regular:
                break;
            case FileKind.Directory:
                throw new FileWriteException($"cannot write {shown}: it is a folder; name a file");
            case FileKind.CharacterDevice or FileKind.BlockDevice:
                throw new FileWriteException($"cannot write {shown}: it is a {(status.Kind == FileKind.CharacterDevice ? "character" : "block")} device; Kgent writes only regular files (name a file instead)");
            case FileKind.Fifo:
                throw new FileWriteException($"cannot write {shown}: it is a FIFO (named pipe); Kgent writes only regular files (name a file instead)");
            case FileKind.Socket:
                throw new FileWriteException($"cannot write {shown}: it is a socket; Kgent writes only regular files (name a file instead)");
            default:
                throw new FileWriteException($"cannot write {shown}: it is not a regular file");
        }

        if ((status.Mode & (UnixFileMode.SetUser | UnixFileMode.SetGroup)) != 0)
        {
            throw new FileWriteException($"cannot write {shown}: it is set-user-ID or set-group-ID (mode {Octal(status.Mode)}); Kgent does not rewrite such files");
        }

        if ((status.Mode & UnixFileMode.UserWrite) == 0)
        {
            throw new FileWriteException($"cannot write {shown}: it is read-only (mode {Octal(status.Mode)}); make it writable first (chmod u+w) if you mean it");
        }

        if (status.Links > 1)
        {
            throw new FileWriteException($"cannot write {shown}: it has {status.Links} hard links, which replacing it would split; write to a new file instead");
        }

        return new Target(full, status);
    }

    private static FileStatus? Status(string shown, string path)
    {
        try
        {
            return FileStatus.Of(path);
        }
        catch (IOException e)
        {
            throw new FileWriteException($"cannot write {shown}: {e.Message}");
        }
    }

    private static string Describe(string given, string resolved) =>
        Path.GetFullPath(given) == resolved ? given : $"{given} (→ {resolved})";

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done; the name marks it as Kgent's temporary file.
        }
    }
}
