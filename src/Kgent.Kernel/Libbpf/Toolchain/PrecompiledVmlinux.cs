using System.IO.Hashing;
using System.Text;
using Kgent.Kernel.Processes;

namespace Kgent.Kernel.Libbpf.Toolchain;

/// <summary>
/// vmlinux.h precompiled by clang (a PCH), beside the header in the cache. Parsing the 2.8 MB header is most of a compile
/// (~0.4 s of ~0.6 s here); with the PCH a one-hook program compiles in ~0.2 s. A PCH is only valid for the clang and the
/// flags that built it, so its name carries a digest of both; it is built once (~1.2 s), atomically, on first use. It is
/// used only for programs whose first directive is <c>#include "vmlinux.h"</c>: a program that defines macros first, or
/// does not use vmlinux.h, is compiled as written.
/// </summary>
public static class PrecompiledVmlinux
{
    /// <summary>The PCH for this clang and these flags, built now when missing; null when it cannot be built (the compile
    /// then parses vmlinux.h itself).</summary>
    public static string? For(string clang, string vmlinuxDirectory, IReadOnlyList<string> flags, TimeSpan timeout)
    {
        var header = Path.Combine(vmlinuxDirectory, "vmlinux.h");
        var path = Path.Combine(vmlinuxDirectory, $"vmlinux-{Digest(clang, flags)}.pch");
        if (File.Exists(path))
        {
            return path;
        }

        var temporary = Path.Combine(vmlinuxDirectory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.kgent-tmp");
        try
        {
            var command = new ChildCommand("clang (precompiling vmlinux.h)", clang, [.. flags, "-x", "c-header", header, "-o", temporary]);
            if (OwnedProcess.RunToEnd(command, timeout) is { ExitCode: 0 } && File.Exists(temporary))
            {
                File.Move(temporary, path, overwrite: true);
                return path;
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>Forgets a PCH clang refused (a clang upgraded in place keeps its path).</summary>
    public static void Discard(string path) => TryDelete(path);

    /// <summary>True when the program's first directive, before any code, is <c>#include "vmlinux.h"</c> (or
    /// <c>&lt;vmlinux.h&gt;</c>): then injecting the PCH first changes nothing.</summary>
    public static bool StartsWithVmlinux(string text)
    {
        var inComment = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (inComment)
            {
                var end = line.IndexOf("*/", StringComparison.Ordinal);
                if (end < 0)
                {
                    continue;
                }

                inComment = false;
                line = line[(end + 2)..].Trim();
            }

            while (line.StartsWith("/*", StringComparison.Ordinal))
            {
                var end = line.IndexOf("*/", 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    inComment = true;
                    line = string.Empty;
                    break;
                }

                line = line[(end + 2)..].Trim();
            }

            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var directive = line.TrimStart('#').Trim();
            return line.StartsWith('#') && directive.StartsWith("include", StringComparison.Ordinal)
                && directive["include".Length..].Trim() is "\"vmlinux.h\"" or "<vmlinux.h>";
        }

        return false;
    }

    private static string Digest(string clang, IReadOnlyList<string> flags)
    {
        var text = new StringBuilder();
        var info = new FileInfo(clang);
        var target = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        text.Append(target.FullName).Append(' ').Append(target.Length).Append(' ').Append(target.LastWriteTimeUtc.Ticks).Append('\n').AppendJoin('\0', flags);
        return Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: the next build replaces or ignores it.
        }
    }
}
