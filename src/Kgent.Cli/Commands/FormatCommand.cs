using Kgent.Cli.Output;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent fmt FILE [--json] [--write]</c>: prints the canonical form. A program with syntax errors is not
/// formatted (its diagnostics are shown instead), and <c>--write</c> replaces the file atomically, so a failure
/// never leaves a half-written program behind.</summary>
public static class FormatCommand
{
    public static int Run(string path, bool json, bool write, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        var source = SourceLoader.TryLoad(path, json ? TextWriter.Null : error, out var problem);
        if (source is null)
        {
            if (json)
            {
                Json.Write(output, new FormatReport(path, null, problem, []));
            }

            return 1;
        }

        var result = BpftraceParser.Parse(source);
        var (diagnostics, _) = LocatedDiagnostic.Capped(result.Diagnostics, source);
        if (result.HasErrors)
        {
            if (json)
            {
                Json.Write(output, new FormatReport(path, null, "the program has syntax errors", diagnostics));
            }
            else
            {
                DiagnosticRenderer.Write(error, result, style);
                error.WriteLine($"kgent: error: not formatting '{path}': fix the errors above first");
            }

            return 1;
        }

        var formatted = BpftracePrinter.Print(result);
        if (write && path != "-" && !TryReplace(path, formatted, error))
        {
            return 1;
        }

        if (json)
        {
            Json.Write(output, new FormatReport(path, formatted, null, diagnostics));
        }
        else if (!write)
        {
            output.Write(formatted);
        }

        return 0;
    }

    /// <summary>Rewrites the file through <see cref="Kgent.Kernel.Safety.SafeFile"/>: a symlink is followed and stays, the
    /// mode and owner are kept, special and set-ID files are refused, and a failure leaves the file unchanged.</summary>
    private static bool TryReplace(string path, string formatted, TextWriter error)
    {
        try
        {
            Kgent.Kernel.Safety.SafeFile.WriteAllText(path, formatted);
            return true;
        }
        catch (Kgent.Kernel.Safety.FileWriteException ex)
        {
            error.WriteLine($"kgent: error: {ex.Message} (the file is unchanged)");
            return false;
        }
    }

    public sealed record FormatReport(string Path, string? Formatted, string? Error, IReadOnlyList<LocatedDiagnostic> Diagnostics);
}
