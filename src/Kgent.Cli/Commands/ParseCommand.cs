using Kgent.Cli.Output;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent parse FILE... [--json] [--ast]</c>: each file's diagnostics, then <c>parsed N/M files</c>.
/// Exit 0 iff every file parsed without errors.</summary>
public static class ParseCommand
{
    public static int Run(IReadOnlyList<string> paths, bool json, bool ast, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        var reports = new List<FileReport>();
        var parsed = 0;
        foreach (var path in paths)
        {
            var notC = SourceLoader.NotForC(path, "parse");
            if (notC is not null && !json)
            {
                error.WriteLine($"kgent: error: {notC}");
            }

            string? problem = notC;
            var source = notC is null ? SourceLoader.TryLoad(path, json ? TextWriter.Null : error, out problem) : null;
            if (source is null)
            {
                reports.Add(new FileReport(path, false, problem, [], null));
                continue;
            }

            var result = BpftraceParser.Parse(source);
            var ok = !result.HasErrors;
            parsed += ok ? 1 : 0;
            var tree = ast ? SyntaxTreeDump.Dump(result.Program, limit: SyntaxTreeDump.DisplayLimit) : null;
            var (located, omitted) = LocatedDiagnostic.Capped(result.Diagnostics, source);
            reports.Add(new FileReport(path, ok, null, located, tree) { DiagnosticsOmitted = omitted });
            if (!json)
            {
                DiagnosticRenderer.Write(output, result, style);
                if (tree is not null)
                {
                    output.Write(tree);
                }
            }
        }

        if (json)
        {
            Json.Write(output, new ParseReport(parsed, paths.Count, reports));
        }
        else
        {
            var summary = $"parsed {parsed}/{paths.Count} files";
            output.WriteLine(parsed == paths.Count ? style.Good(summary) : style.Error(summary));
        }

        return parsed == paths.Count ? 0 : 1;
    }

    public sealed record ParseReport(int Parsed, int Total, IReadOnlyList<FileReport> Files);

    public sealed record FileReport(string Path, bool Parsed, string? Error, IReadOnlyList<LocatedDiagnostic> Diagnostics, string? Ast)
    {
        /// <summary>Diagnostics left out after the first <see cref="DiagnosticLimit.PerFile"/>.</summary>
        public int DiagnosticsOmitted { get; init; }
    }
}
