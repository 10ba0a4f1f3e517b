using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
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
        if (SourceLoader.NotForC(path, "fmt") is { } notC)
        {
            error.WriteLine($"kgent: error: {notC}");
            return 2;
        }

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

    /// <summary><c>kgent fmt --to VERSION FILE [--json] [--write]</c>: the program in that release's dialect on stdout (or in
    /// place), each rewrite and everything that cannot be ported on stderr. Exit 0 when the port is complete, 1 when
    /// something could not be ported (then <c>--write</c> leaves the file unchanged) or the program does not parse, 2 for a
    /// release Kgent does not know.</summary>
    public static int Port(string path, string version, bool json, bool write, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        if (!Kgent.Kernel.Bpftrace.Language.LanguageFeatures.TryParseVersion(version, out var target) || target < Kgent.Kernel.Bpftrace.Language.LanguageFeatures.Oldest)
        {
            error.WriteLine($"kgent: error: --to '{version}' is not a bpftrace release Kgent knows: give one from 0.17 on, e.g. 0.17, 0.23 or 0.27.1");
            return 2;
        }

        var source = SourceLoader.TryLoad(path, json ? TextWriter.Null : error, out var problem);
        if (source is null)
        {
            if (json)
            {
                Json.Write(output, new PortReport(path, version, null, problem, [], []));
            }

            return 1;
        }

        var parse = BpftraceParser.Parse(source);
        if (parse.HasErrors)
        {
            var (diagnostics, _) = LocatedDiagnostic.Capped(parse.Diagnostics, source);
            if (json)
            {
                Json.Write(output, new PortReport(path, version, null, "the program has syntax errors", [], diagnostics));
            }
            else
            {
                DiagnosticRenderer.Write(error, parse, style);
                error.WriteLine($"kgent: error: not porting '{path}': fix the errors above first");
            }

            return 1;
        }

        using var workbench = CliWorkbench.Open(WorkbenchOptions.Default, TextWriter.Null, style);
        var port = Kgent.Kernel.Bpftrace.Porting.DialectPorter.Port(parse, target, workbench.TryCatalog());
        var name = Kgent.Kernel.Bpftrace.Language.LanguageFeature.Name(target);
        var (unported, _) = LocatedDiagnostic.Capped(port.Unported, port.Ported.Source);
        if (json)
        {
            Json.Write(output, new PortReport(path, name, port.Text, port.IsComplete ? null : $"not everything can be ported to bpftrace {name}",
                port.Rewrites, unported));
        }
        else
        {
            if (!write || !port.IsComplete)
            {
                output.Write(port.Text);
            }

            error.WriteLine($"kgent: ported to bpftrace {name}: {port.Rewrites.Length} rewrite{(port.Rewrites.Length == 1 ? string.Empty : "s")}");
            foreach (var rewrite in port.Rewrites)
            {
                error.WriteLine($"  line {rewrite.Line}: {rewrite.From}  →  {rewrite.To}  ({rewrite.Why})");
            }

            if (!port.IsComplete)
            {
                var count = port.Unported.Count(d => d.IsError);
                error.WriteLine(style.Error($"kgent: cannot port {count} construct{(count == 1 ? string.Empty : "s")} to bpftrace {name} (kept as written):"));
            }

            DiagnosticRenderer.Write(error, port.Unported, port.Ported.Source, style);
        }

        if (!port.IsComplete)
        {
            return 1;
        }

        return write && path != "-" && !TryReplace(path, port.Text, error) ? 1 : 0;
    }

    public sealed record PortReport(string Path, string Target, string? Ported, string? Error, IReadOnlyList<Kgent.Kernel.Bpftrace.Porting.PortRewrite> Rewrites,
        IReadOnlyList<LocatedDiagnostic> Unported);

    /// <summary>Rewrites the file through <see cref="Kgent.Kernel.Platform.SafeFile"/>: a symlink is followed and stays, the
    /// mode and owner are kept, special and set-ID files are refused, and a failure leaves the file unchanged.</summary>
    private static bool TryReplace(string path, string formatted, TextWriter error)
    {
        try
        {
            Kgent.Kernel.Platform.SafeFile.WriteAllText(path, formatted);
            return true;
        }
        catch (Kgent.Kernel.Platform.FileWriteException ex)
        {
            error.WriteLine($"kgent: error: {ex.Message} (the file is unchanged)");
            return false;
        }
    }

    public sealed record FormatReport(string Path, string? Formatted, string? Error, IReadOnlyList<LocatedDiagnostic> Diagnostics);
}
