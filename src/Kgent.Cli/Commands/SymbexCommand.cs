using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Libbpf.Symbolic;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent symbex FILE [--request TEXT | --spec FILE] [--contracts DIR] [--catalog F] [--smt2 DIR] [--timeout MS] [--loop-bound N] [--json]</c>:
/// proves the program's assertions under its assumptions and the kernel contracts, and with a request (or an edited
/// specification) every obligation of the request's intent specification too. Exit 0 only when verified (at least one
/// thing proved, nothing failed), 1 when something can fail, cannot be decided, or there is nothing to prove, 2 when
/// the program has errors or the program, specification, catalog, contracts or solver cannot be loaded.</summary>
public static class SymbexCommand
{
    public static int Run(string path, string? contractsPath, string? catalogPath, string? smt2, int? timeoutMs, int? loopBound, int? budgetSeconds,
        Kgent.Kernel.Safety.SafetyAllowance allowed, bool json,
        TextWriter output, TextWriter error, ConsoleStyle style, string? request = null, string? specPath = null)
    {
        if (!NumericOption.InRange(error, "--timeout", timeoutMs, 1, 600_000, "milliseconds")
            || !NumericOption.InRange(error, "--loop-bound", loopBound, 0, 1000, "iterations")
            || !NumericOption.InRange(error, "--budget", budgetSeconds, 1, 3600, "seconds"))
        {
            return 2;
        }

        // With --json every outcome is a JSON report on stdout, failures included; the message also goes to stderr.
        int Fail(string message, IReadOnlyList<LocatedDiagnostic>? diagnostics = null)
        {
            error.WriteLine($"kgent: error: {message}");
            if (json)
            {
                Json.Write(output, SymbexReport.Failed(path, message, diagnostics));
            }

            return 2;
        }

        if (smt2 is not null && (File.Exists(smt2) || (Directory.Exists(smt2) is false && Path.GetDirectoryName(Path.GetFullPath(smt2)) is { } parent && !Directory.Exists(parent))))
        {
            return Fail(File.Exists(smt2)
                ? $"--smt2 names a folder to write the queries into, but {smt2} is a file"
                : $"--smt2 {smt2}: the folder {Path.GetDirectoryName(Path.GetFullPath(smt2))} does not exist");
        }

        var source = SourceLoader.TryLoad(path, TextWriter.Null, out var problem);
        if (source is null)
        {
            return Fail(problem!);
        }

        var isC = Kgent.Kernel.Libbpf.CSource.IsC(path);
        var parse = isC ? BpftraceParser.Parse(string.Empty, path) : BpftraceParser.Parse(source);
        if (!isC && parse.HasErrors)
        {
            if (!json)
            {
                DiagnosticRenderer.Write(error, parse, style);
            }

            return Fail($"'{path}' has syntax errors; fix them before symbolic verification", LocatedDiagnostic.Capped(parse.Diagnostics, source).Shown);
        }

        using var workbench = CliWorkbench.Open(new WorkbenchOptions(Catalog: catalogPath, Contracts: contractsPath), error, style);
        var catalog = workbench.TryCatalog();
        if (catalog is null)
        {
            return Fail(workbench.CatalogProblem!);
        }

        // A program with semantic errors is refused too: proving something about a program the kernel would reject says nothing.
        var errors = isC ? [] : SemanticChecker.Check(parse, catalog, new CheckOptions(allowed)).BlockingErrors.ToList();
        if (errors.Count > 0)
        {
            if (!json)
            {
                DiagnosticRenderer.Write(error, errors, parse.Source, style);
            }

            return Fail($"'{path}' has errors; fix them before symbolic verification", LocatedDiagnostic.Capped(errors, parse.Source).Shown);
        }

        IntentSpec? spec = null;
        if (request is not null && specPath is not null)
        {
            return Fail("give either --request or --spec, not both (--spec is an edited specification of a request)");
        }

        if (request is not null)
        {
            if (string.IsNullOrWhiteSpace(request))
            {
                return Fail("--request is empty: write what the program should trace, e.g. --request \"count file opens by process\"");
            }

            spec = OfflineIntentReader.Read(request.Trim(), catalog);
        }
        else if (specPath is not null)
        {
            var specText = SourceLoader.TryLoad(specPath, TextWriter.Null, out var specProblem);
            if (specText is null)
            {
                return Fail($"--spec: {specProblem}");
            }

            spec = IntentJson.Read(specText.Text, request: null, "edited", catalog, out var problems);
            if (spec is null)
            {
                return Fail($"--spec {specPath} is not a usable specification: {string.Join("; ", problems)}");
            }
        }

        ContractSet contracts;
        try
        {
            contracts = workbench.Contracts;
        }
        catch (WorkbenchException e)
        {
            return Fail(e.Message);
        }

        var options = new SymbolicOptions(contracts, timeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, Smt2Directory: smt2)
        {
            LoopBound = loopBound ?? SymbolicOptions.Default.LoopBound,
            Budget = budgetSeconds is { } seconds ? SymbolicBudget.Default with { Time = TimeSpan.FromSeconds(seconds) } : null,
            Allowed = allowed,
        };
        if (isC)
        {
            // A C program is proved over its lowering (the bpftrace program that does the same, line for line).
            var (lowered, problems) = CSymbolicVerifier.Lower(source, catalog, allowed);
            if (lowered is null)
            {
                var notModelled = problems.All(d => d.Descriptor == Kgent.Kernel.Libbpf.Compile.CDiagnostics.NotModelled);
                if (!json)
                {
                    DiagnosticRenderer.Write(error, problems, source, style);
                }

                var message = notModelled ? $"'{path}' is not checked symbolically: nothing was proved" : $"'{path}' has errors; fix them before symbolic verification";
                error.WriteLine($"kgent: {(notModelled ? "not checked" : "error")}: {message}");
                if (json)
                {
                    Json.Write(output, SymbexReport.Failed(path, message, LocatedDiagnostic.Capped(problems, source).Shown));
                }

                return notModelled ? 1 : 2;
            }

            parse = BpftraceParser.Parse(lowered.Lowered);
            if (spec is not null)
            {
                return CheckIntent(spec, parse, catalog, contracts, options, json, output, style, source);
            }

            return Prove(parse, catalog, options, json, output, error, style, r => CSymbolicVerifier.OnSource(r, lowered), path);
        }

        if (spec is not null)
        {
            return CheckIntent(spec, parse, catalog, contracts, options, json, output, style);
        }

        return Prove(parse, catalog, options, json, output, error, style, r => r, path);
    }

    private static int Prove(ParseResult parse, Kgent.Kernel.KernelInfo.Catalog.ProbeCatalog catalog, SymbolicOptions options, bool json,
        TextWriter output, TextWriter error, ConsoleStyle style, Func<SymbolicResult, SymbolicResult> shown, string path)
    {
        int Fail(string message)
        {
            error.WriteLine($"kgent: error: {message}");
            if (json)
            {
                Json.Write(output, SymbexReport.Failed(path, message, null));
            }

            return 2;
        }

        SymbolicResult result;
        try
        {
            result = shown(SymbolicVerifier.Verify(parse, catalog, options));
        }
        catch (SolverUnavailableException e)
        {
            error.WriteLine($"  help: {e.Fix}");
            return Fail(e.Message);
        }
        catch (Kgent.Kernel.Platform.FileWriteException e)
        {
            return Fail($"--smt2: {e.Message}");
        }

        if (json)
        {
            Json.Write(output, SymbexReport.From(result, catalog.Source));
        }
        else
        {
            SymbexRenderer.Write(output, result, style);
        }

        return result.IsVerified ? 0 : 1;
    }

    private static int CheckIntent(IntentSpec spec, ParseResult parse, Kgent.Kernel.KernelInfo.Catalog.ProbeCatalog catalog, ContractSet contracts,
        SymbolicOptions options, bool json, TextWriter output, ConsoleStyle style, Kgent.Kernel.Bpftrace.Text.SourceText? shownSource = null)
    {
        var report = IntentChecker.Check(spec, parse, catalog, contracts, options);
        var shown = shownSource ?? parse.Source;
        if (json)
        {
            Json.Write(output, IntentCheckReport.From(report, shown, catalog.Source));
        }
        else
        {
            IntentReportRenderer.Write(output, report, shown, style);
        }

        return report.Verdict switch
        {
            IntentVerdict.Verified => 0,
            IntentVerdict.Refused => 2,
            _ => 1,
        };
    }
}
