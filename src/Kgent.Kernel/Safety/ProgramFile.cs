using System.Globalization;
using System.Text;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Platform;

namespace Kgent.Kernel.Safety;

/// <summary>Reads a program for Kgent, bounded: a regular file or a pipe (<c>-</c>, a FIFO, <c>&lt;(…)</c>) of at most
/// <see cref="MaxBytes"/>; a device (<c>/dev/zero</c> would never end), a socket or a folder is refused with a clear
/// message, never read.</summary>
public static class ProgramFile
{
    /// <summary>The largest program Kgent reads: far beyond any real bpftrace program (the installed tools are under 10 KB).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <exception cref="IOException">The file cannot be read, is not a program file, or is too large; the message says which.</exception>
    public static SourceText Read(string path)
    {
        var status = FileStatus.Of(path);
        if (status?.Kind == FileKind.SymbolicLink)
        {
            status = File.ResolveLinkTarget(path, returnFinalTarget: true) is { } target ? FileStatus.Of(target.FullName) : null;
        }

        switch (status?.Kind)
        {
            case null:
                throw new FileNotFoundException($"cannot read '{path}': no such file");
            case FileKind.Directory:
                throw new IOException($"'{path}' is a directory; pass the .bt files in it, e.g. {Path.Combine(path, "*.bt")}");
            case FileKind.CharacterDevice or FileKind.BlockDevice or FileKind.Socket or FileKind.Other:
                throw new IOException($"cannot read '{path}': it is a {Describe(status.Kind)}, not a program file");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new SourceText(ReadBounded(stream, path), path);
    }

    /// <summary>Reads standard input (or any stream), bounded.</summary>
    public static SourceText Read(Stream stream, string name) => new(ReadBounded(stream, name), name);

    private static string ReadBounded(Stream stream, string name)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                throw new IOException($"'{name}' is larger than {MaxBytes / (1024 * 1024)} MiB; Kgent reads bpftrace programs up to that size");
            }
        }

        return new UTF8Encoding(false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF');
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.CharacterDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.Socket => "socket",
        _ => "special file",
    };
}
