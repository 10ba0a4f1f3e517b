using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Safety;

namespace Kgent.Cli.Commands;

/// <summary>Reads program files (bounded, see <see cref="ProgramFile"/>), turning every failure into one clear line
/// instead of an exception.</summary>
public static class SourceLoader
{
    public static SourceText? TryLoad(string path, TextWriter error, out string? problem)
    {
        problem = null;
        try
        {
            return path == "-" ? ProgramFile.Read(Console.OpenStandardInput(), "<stdin>") : ProgramFile.Read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex is UnauthorizedAccessException ? $"cannot read '{path}': {ex.Message}" : ex.Message;
        }

        error.WriteLine($"kgent: error: {problem}");
        return null;
    }

    /// <summary>For commands that read bpftrace only: a <c>*.c</c> file (libbpf C) gets one line saying what does read it.</summary>
    public static string? NotForC(string path, string command) =>
        Kgent.Kernel.Libbpf.CSource.IsC(path)
            ? $"kgent {command} reads bpftrace programs, and {path} is libbpf C: kgent check, verify, run and symbex take C programs"
            : null;
}
