using System.IO.Hashing;
using System.Text;
using Kgent.Kernel.Processes;

namespace Kgent.Kernel.Libbpf.Toolchain;

/// <summary>
/// vmlinux.h for the running kernel: every kernel type as C, written by <c>bpftool btf dump file /sys/kernel/btf/vmlinux
/// format c</c> (2.8 MB, a third of a second). It is kept in <c>$XDG_CACHE_HOME/kgent/vmlinux/DIGEST/vmlinux.h</c> (or under
/// <c>KGENT_CACHE</c>), where DIGEST is the BTF's own digest, so a new kernel (or a changed BTF) gets a new header and the old
/// one is never used for it. With the cache off (<c>KGENT_CACHE=off</c>) it goes into a temporary folder for the process.
/// </summary>
public static class VmlinuxHeader
{
    public const string KernelBtf = "/sys/kernel/btf/vmlinux";

    private const long MaxHeader = 256L << 20;

    private static readonly Lock Gate = new();

    /// <summary>The folder holding vmlinux.h for <paramref name="btfPath"/>, written now when missing.</summary>
    /// <param name="cacheRoot">The folder the digests' folders go in (default: the cache's <c>vmlinux</c> folder).</param>
    /// <exception cref="VmlinuxHeaderException">No BTF, no bpftool, or bpftool failed: the message says which and the fix.</exception>
    public static string DirectoryFor(CToolchain toolchain, string btfPath = KernelBtf, string? cacheRoot = null)
    {
        byte[] btf;
        try
        {
            btf = File.ReadAllBytes(btfPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VmlinuxHeaderException(File.Exists(btfPath)
                ? $"cannot read the kernel's BTF ({btfPath}): {e.Message}"
                : $"this kernel has no BTF ({btfPath} is missing), so vmlinux.h cannot be written; CO-RE C needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
        }

        var directory = DirectoryOf(btf, cacheRoot);
        var header = Path.Combine(directory, "vmlinux.h");
        lock (Gate)
        {
            if (File.Exists(header))
            {
                return directory;
            }

            if (toolchain.Bpftool is null)
            {
                throw new VmlinuxHeaderException($"bpftool is not installed, so vmlinux.h cannot be written; install it: {CToolchain.InstallCommand}");
            }

            Directory.CreateDirectory(directory);
            Platform.SafeFile.WriteAllText(header, Dump(toolchain.Bpftool, btfPath));
            return directory;
        }
    }

    /// <summary>Where vmlinux.h would be for the running kernel if it is there, without writing it (for <c>kgent doctor</c>).</summary>
    public static string? Cached(string btfPath = KernelBtf, string? cacheRoot = null)
    {
        try
        {
            var header = Path.Combine(DirectoryOf(File.ReadAllBytes(btfPath), cacheRoot), "vmlinux.h");
            return File.Exists(header) ? header : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The cache folder of one BTF: named by the digest of its bytes.</summary>
    private static string DirectoryOf(byte[] btf, string? cacheRoot) =>
        Path.Combine(cacheRoot ?? CacheRoot() ?? ProcessFolder(), Convert.ToHexStringLower(XxHash128.Hash(btf)));

    private static string Dump(string bpftool, string btfPath)
    {
        var text = new StringBuilder();
        var errors = new StringBuilder();
        var overflow = false;
        using (var process = OwnedProcess.Start(new ChildCommand("bpftool btf dump (vmlinux.h)", bpftool, ["btf", "dump", "file", btfPath, "format", "c"]),
            line =>
            {
                lock (text)
                {
                    overflow |= text.Length > MaxHeader;
                    if (!overflow)
                    {
                        text.Append(line).Append('\n');
                    }
                }
            },
            line =>
            {
                lock (errors)
                {
                    if (errors.Length < 4096)
                    {
                        errors.AppendLine(line);
                    }
                }
            }))
        {
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill();
                throw new VmlinuxHeaderException("bpftool did not write vmlinux.h within 2 minutes");
            }

            lock (text)
            {
                if (process.ExitCode != 0 || overflow || !text.ToString().Contains("#ifndef __VMLINUX_H__", StringComparison.Ordinal))
                {
                    throw new VmlinuxHeaderException($"bpftool could not write vmlinux.h (exit {process.ExitCode}): " +
                        (overflow ? "its output passed 256 MB" : errors.ToString().Trim().Split('\n')[0]));
                }

                return text.ToString();
            }
        }
    }

    private static string? CacheRoot() =>
        KernelInfo.Host.Bpftrace.BpftraceFactsCache.Directory() is { } bpftrace ? Path.Combine(Path.GetDirectoryName(bpftrace)!, "vmlinux") : null;

    private static string? processFolder;

    /// <summary>With the cache off: one temporary folder for this process, removed when it exits.</summary>
    private static string ProcessFolder()
    {
        if (processFolder is null)
        {
            var folder = Directory.CreateTempSubdirectory("kgent-vmlinux-").FullName;
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Left in /tmp: harmless.
                }
            };
            processFolder = folder;
        }

        return processFolder;
    }
}
