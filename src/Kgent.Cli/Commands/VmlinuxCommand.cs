using Kgent.Kernel.Libbpf.Toolchain;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent vmlinux</c>: prints where vmlinux.h for the running kernel is (every kernel type as C, for CO-RE
/// programs: <c>clang -I "$(dirname "$(kgent vmlinux)")"</c>), writing it into the cache first when this kernel's BTF has
/// none yet. Exit 0, or 1 with the reason (no BTF, no bpftool).</summary>
public static class VmlinuxCommand
{
    public static int Run(TextWriter output, TextWriter error)
    {
        try
        {
            output.WriteLine(Path.Combine(VmlinuxHeader.DirectoryFor(CToolchain.Find()), "vmlinux.h"));
            return 0;
        }
        catch (Exception e) when (e is VmlinuxHeaderException or IOException or UnauthorizedAccessException or Kgent.Kernel.Platform.FileWriteException)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 1;
        }
    }
}
