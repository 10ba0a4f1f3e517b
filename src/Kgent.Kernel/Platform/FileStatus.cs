using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Kgent.Kernel.Platform;

/// <summary>What <c>statx(2)</c> says about a path without following a final symbolic link: its type, permission bits,
/// owner and link count. (.NET's file APIs show neither the owner nor whether a path is a device or a FIFO.)</summary>
internal sealed record FileStatus(FileKind Kind, UnixFileMode Mode, uint Owner, uint Group, uint Links)
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7ff;

    /// <summary>The path's status, or null when nothing exists there.</summary>
    /// <exception cref="IOException">The path cannot be examined (permissions, a bad folder).</exception>
    public static FileStatus? Of(string path)
    {
        var buffer = new byte[256];
        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, BasicStats, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is 2 or 20)
            {
                return null; // ENOENT, ENOTDIR
            }

            throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
        }

        var links = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(16));
        var owner = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20));
        var group = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24));
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28));
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new FileStatus(kind, (UnixFileMode)(mode & 0xFFF), owner, group, links);
    }

    /// <summary>Sets a file's owner and group; false when the system refuses.</summary>
    public static bool SetOwner(string path, uint owner, uint group) => Chown(path, owner, group) == 0;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);
}

internal enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
    Other,
}
