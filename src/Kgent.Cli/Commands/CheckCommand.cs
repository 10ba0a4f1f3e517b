using Kgent.Cli.Output;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Semantics;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent check FILE... [--catalog F] [--json] [--allow-unsafe BUILTIN]</c>: parse and semantic diagnostics
/// against the kernel catalog; a <c>*.c</c> file is libbpf C, compiled by clang and its object checked. Exit 0 when no file has errors, 1 when some do, 2 when the catalog cannot be loaded.</summary>
public static class CheckCommand
{
    public static int Run(IReadOnlyList<string> paths, string? catalogPath, Kgent.Kernel.Safety.SafetyAllowance allowed, bool json, TextWriter output, TextWriter error, ConsoleStyle style,
        (string? Bpftrace, string? TargetVersion) release = default)
    {
        using var workbench = CliWorkbench.Open(new WorkbenchOptions(Catalog: catalogPath, Bpftrace: release.Bpftrace, TargetVersion: release.TargetVersion), error, style);
        return CliWorkbench.Run(error, () => Check(paths, workbench, allowed, json, output, error, style));
    }

    private static int Check(IReadOnlyList<string> paths, Workbench workbench, Kgent.Kernel.Safety.SafetyAllowance allowed, bool json, TextWriter output, TextWriter error,
        ConsoleStyle style)
    {
        var catalog = workbench.Catalog;
        var target = workbench.Target;
        var options = new CheckOptions(Allowed: allowed) { TargetVersion = target.Version };
        var reports = new List<FileReport>();
        var (clean, errors, warnings) = (0, 0, 0);
        foreach (var path in paths)
        {
            var source = SourceLoader.TryLoad(path, json ? TextWriter.Null : error, out var problem);
            if (source is null)
            {
                reports.Add(new FileReport(path, false, problem, []));
                errors++;
                continue;
            }

            var diagnostics = Kgent.Kernel.Libbpf.CSource.IsC(path) ? CheckC(source, catalog, allowed) : SemanticChecker.Check(BpftraceParser.Parse(source), catalog, options).Diagnostics;
            var fileErrors = diagnostics.Count(d => d.IsError);
            errors += fileErrors;
            warnings += diagnostics.Count(d => !d.IsError);
            clean += fileErrors == 0 ? 1 : 0;
            var (located, omitted) = LocatedDiagnostic.Capped(diagnostics, source);
            reports.Add(new FileReport(path, fileErrors == 0, null, located) { DiagnosticsOmitted = omitted });
            if (!json)
            {
                DiagnosticRenderer.Write(output, diagnostics, source, style);
            }
        }

        if (json)
        {
            Json.Write(output, new CheckReport(catalog.Source, clean, paths.Count, errors, warnings, reports) { Target = target.Describe() });
        }
        else
        {
            var summary = $"checked {paths.Count} file{(paths.Count == 1 ? string.Empty : "s")}: {errors} error{(errors == 1 ? string.Empty : "s")}, {warnings} warning{(warnings == 1 ? string.Empty : "s")} (kernel catalog: {catalog.Source}; target: {target.Describe()})";
            output.WriteLine(errors == 0 ? style.Good(summary) : style.Error(summary));
        }

        return errors == 0 ? 0 : 1;
    }

    /// <summary>A libbpf C program: compiled by clang (its diagnostics), then its object checked against the catalog.</summary>
    private static System.Collections.Immutable.ImmutableArray<Diagnostic> CheckC(Kgent.Kernel.Bpftrace.Text.SourceText source, Kgent.Kernel.KernelInfo.Catalog.ProbeCatalog catalog,
        Kgent.Kernel.Safety.SafetyAllowance allowed)
    {
        using var build = Kgent.Kernel.Libbpf.Compile.ClangCompiler.Compile(source);
        return Kgent.Kernel.Libbpf.Check.CProgramChecker.Check(build, catalog, allowed).Diagnostics;
    }

    public sealed record CheckReport(string Catalog, int Passed, int Total, int Errors, int Warnings, IReadOnlyList<FileReport> Files)
    {
        /// <summary>The bpftrace release the files were checked against, and why.</summary>
        public string? Target { get; init; }
    }

    public sealed record FileReport(string Path, bool Passed, string? Error, IReadOnlyList<LocatedDiagnostic> Diagnostics)
    {
        /// <summary>Diagnostics left out after the first <see cref="DiagnosticLimit.PerFile"/>.</summary>
        public int DiagnosticsOmitted { get; init; }
    }
}
