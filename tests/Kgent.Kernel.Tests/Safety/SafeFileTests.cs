using System.Net.Sockets;
using Kgent.Kernel.Platform;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Safety;

/// <summary>The one file writer on files this test makes: regular files keep mode and owner, a symlink is followed and
/// stays, and devices, FIFOs, sockets, read-only, set-ID and hard-linked files are refused and left exactly as they were.
/// A device node is made with mknod in a temporary folder, never the real /dev.</summary>
public sealed class SafeFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-safefile-").FullName;

    public void Dispose()
    {
        Shell.Run($"umount {directory}/small 2>/dev/null; true");
        Directory.Delete(directory, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(directory, name);

    private static string Stat(string path) => Shell.Run($"stat -c '%F %a %u:%g %h %t:%T' '{path}'");

    private void AssertNoTemporaryFiles() => Assert.Empty(Directory.GetFiles(directory, "*.kgent-tmp", SearchOption.AllDirectories));

    [Fact]
    public void A_new_file_is_written_and_an_existing_one_replaced_keeping_its_mode()
    {
        var path = PathOf("report.json");
        SafeFile.WriteAllText(path, "first");
        Assert.Equal("first", File.ReadAllText(path));

        Shell.Run($"chmod 0640 '{path}'");
        SafeFile.WriteAllText(path, "second");

        Assert.Equal("second", File.ReadAllText(path));
        Assert.StartsWith("regular file 640 ", Stat(path), StringComparison.Ordinal);
        AssertNoTemporaryFiles();
    }

    [RootFact]
    public void The_owner_and_group_of_a_replaced_file_are_kept()
    {
        var path = PathOf("owned.bt");
        File.WriteAllText(path, "old");
        Shell.Run($"chown 65534:65534 '{path}' && chmod 0664 '{path}'");

        SafeFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.StartsWith("regular file 664 65534:65534 1 ", Stat(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlink_is_followed_to_the_file_it_names_and_stays_a_link()
    {
        var target = PathOf("real.bt");
        File.WriteAllText(target, "old");
        var link = PathOf("link.bt");
        File.CreateSymbolicLink(link, target);

        SafeFile.WriteAllText(link, "new");

        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.StartsWith("symbolic link", Stat(link), StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlink_to_nothing_is_refused_and_nothing_is_created()
    {
        var link = PathOf("dangling.bt");
        File.CreateSymbolicLink(link, PathOf("nowhere/missing.bt"));

        var error = Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(link, "x"));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("nowhere/missing.bt")));
    }

    [RootFact]
    public void A_device_node_like_dev_full_is_refused_and_stays_a_device()
    {
        var device = PathOf("full");
        Shell.Run($"mknod '{device}' c 1 7"); // the same device as /dev/full
        var before = Stat(device);
        Assert.StartsWith("character special file", before, StringComparison.Ordinal);

        var error = Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(device, "snapshot"));

        Assert.Contains("is a character device", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Stat(device));
        AssertNoTemporaryFiles();
    }

    [Fact]
    public void A_fifo_is_refused_without_blocking_and_stays_a_fifo()
    {
        var fifo = PathOf("pipe");
        Shell.Run($"mkfifo '{fifo}'");

        var error = Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(fifo, "x"));

        Assert.Contains("FIFO", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("fifo", Stat(fifo), StringComparison.Ordinal);
        Assert.Throws<FileWriteException>(() => SafeFile.AppendAllText(fifo, "x"));
    }

    [Fact]
    public void A_socket_is_refused()
    {
        var path = PathOf("sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        var error = Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(path, "x"));

        Assert.Contains("is a socket", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("socket", Stat(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_file_is_refused_and_unchanged()
    {
        var path = PathOf("readonly.bt");
        File.WriteAllText(path, "keep me");
        Shell.Run($"chmod 0444 '{path}'");

        var error = Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(path, "overwritten"));

        Assert.Contains("read-only (mode 0444)", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(path));
        Assert.StartsWith("regular file 444 ", Stat(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_setuid_file_is_refused_and_keeps_its_mode()
    {
        var path = PathOf("setuid.bt");
        File.WriteAllText(path, "keep me");
        Shell.Run($"chmod 04750 '{path}'");

        var error = Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(path, "overwritten"));

        Assert.Contains("set-user-ID", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(path));
        Assert.StartsWith("regular file 4750 ", Stat(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_hard_linked_file_is_refused()
    {
        var path = PathOf("linked.bt");
        File.WriteAllText(path, "shared");
        Shell.Run($"ln '{path}' '{PathOf("other-name.bt")}'");

        var error = Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(path, "split"));

        Assert.Contains("2 hard links", error.Message, StringComparison.Ordinal);
        Assert.Equal("shared", File.ReadAllText(PathOf("other-name.bt")));
    }

    [Fact]
    public void A_missing_folder_or_a_folder_is_an_error_and_nothing_is_created()
    {
        var error = Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(PathOf("missing/dir/t.json"), "x"));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(PathOf("missing")));

        Assert.Contains("is a folder", Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(directory, "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_that_fails_half_way_leaves_the_file_as_it_was()
    {
        var path = PathOf("program.bt");
        File.WriteAllText(path, "original");

        Assert.Throws<FileWriteException>(() => SafeFile.Write(path, stream =>
        {
            stream.Write("half a new pro"u8);
            throw new IOException("the writer failed");
        }));

        Assert.Equal("original", File.ReadAllText(path));
        AssertNoTemporaryFiles();
    }

    [RootFact]
    public void A_full_file_system_leaves_the_file_as_it_was()
    {
        var small = PathOf("small");
        Directory.CreateDirectory(small);
        Assert.Equal(string.Empty, Shell.Run($"mount -t tmpfs -o size=64k tmpfs '{small}'"));
        var path = Path.Combine(small, "report.txt");
        File.WriteAllText(path, "original");

        var error = Assert.Throws<FileWriteException>(() => SafeFile.WriteAllText(path, new string('x', 1 << 20)));

        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.Equal("original", File.ReadAllText(path));
        Assert.Equal(["report.txt"], Directory.GetFiles(small).Select(Path.GetFileName));
    }
}
