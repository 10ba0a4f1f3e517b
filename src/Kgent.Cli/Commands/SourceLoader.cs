using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Cli.Commands;

/// <summary>Reads program files, turning I/O failures into one clear line instead of an exception.</summary>
public static class SourceLoader
{
    public static SourceText? TryLoad(string path, TextWriter error, out string? problem)
    {
        problem = null;
        try
        {
            if (path == "-")
            {
                return new SourceText(Console.In.ReadToEnd(), "<stdin>");
            }

            if (Directory.Exists(path))
            {
                problem = $"'{path}' is a directory; pass the .bt files in it, e.g. {Path.Combine(path, "*.bt")}";
            }
            else if (!File.Exists(path))
            {
                problem = $"cannot read '{path}': no such file";
            }
            else
            {
                return SourceText.FromFile(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read '{path}': {ex.Message}";
        }

        error.WriteLine($"kgent: error: {problem}");
        return null;
    }
}
