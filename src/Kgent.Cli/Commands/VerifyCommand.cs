using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.KernelVerifier;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent verify FILE [--json] [--allow-unsafe BUILTIN] [--timeout S]</c>: loads the program into this kernel's verifier
/// and detaches it at once; a <c>*.c</c> file is libbpf C, compiled and loaded through libbpf without attaching. Exit 0 when accepted, 1 when rejected (the stage and the reason are printed), 2 on bad options;
/// Ctrl-C or SIGTERM stops the load (bpftrace is killed; exit 130 or 143).</summary>
public static class VerifyCommand
{
    public static int Run(string path, Kgent.Kernel.Safety.SafetyAllowance allowed, int? timeoutSeconds, bool json, TextWriter output, TextWriter error, ConsoleStyle style,
        string? bpftrace = null)
    {
        if (!NumericOption.InRange(error, "--timeout", timeoutSeconds, 1, 3600, "seconds"))
        {
            return 2;
        }

        var source = SourceLoader.TryLoad(path, error, out _);
        if (source is null)
        {
            return 2;
        }

        using var workbench = CliWorkbench.Open(new WorkbenchOptions(Bpftrace: bpftrace), TextWriter.Null, style);
        var catalog = workbench.TryCatalog();
        if (Kgent.Kernel.Libbpf.CSource.IsC(path))
        {
            return VerifyC(path, source, allowed, catalog, json, output, error, style);
        }

        var parse = BpftraceParser.Parse(source);

        var options = new VerifyOptions(allowed, timeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null, catalog, BpftracePath: bpftrace);
        LoadVerdict verdict;
        using var interrupt = new Interrupt();
        try
        {
            verdict = KernelLoader.Verify(parse, options, interrupt.Token);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"kgent: {interrupt.What}; bpftrace was stopped and nothing stays loaded");
            return interrupt.ExitCode;
        }

        if (json)
        {
            Json.Write(output, VerifyReport.From(path, verdict, source));
        }
        else
        {
            Write(output, verdict, parse, style);
        }

        return verdict.IsAccepted ? 0 : 1;
    }

    /// <summary>A libbpf C program: compiled by clang, checked, and loaded through libbpf into the kernel verifier, then closed
    /// (nothing is attached; nothing stays loaded).</summary>
    private static int VerifyC(string path, Kgent.Kernel.Bpftrace.Text.SourceText source, Kgent.Kernel.Safety.SafetyAllowance allowed,
        Kgent.Kernel.KernelInfo.Catalog.ProbeCatalog? catalog, bool json, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        using var interrupt = new Interrupt();
        using var build = Kgent.Kernel.Libbpf.Compile.ClangCompiler.Compile(source);
        LoadVerdict verdict;
        try
        {
            verdict = Kgent.Kernel.Libbpf.Verify.CKernelLoader.Verify(build, new Kgent.Kernel.Libbpf.Verify.CVerifyOptions(allowed, catalog), interrupt.Token);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"kgent: {interrupt.What}; nothing was loaded");
            return interrupt.ExitCode;
        }

        if (json)
        {
            Json.Write(output, VerifyReport.From(path, verdict, source));
        }
        else
        {
            Write(output, verdict, source, style, "loaded", "then closed");
        }

        return verdict.IsAccepted ? 0 : 1;
    }

    internal static void Write(TextWriter output, LoadVerdict verdict, ParseResult parse, ConsoleStyle style) =>
        Write(output, verdict, parse.Source, style, "loaded and attached", "then detached");

    internal static void Write(TextWriter output, LoadVerdict verdict, Kgent.Kernel.Bpftrace.Text.SourceText source, ConsoleStyle style) =>
        Write(output, verdict, source, style, "loaded and attached", "then detached");

    private static void Write(TextWriter output, LoadVerdict verdict, Kgent.Kernel.Bpftrace.Text.SourceText source, ConsoleStyle style, string did, string after)
    {
        switch (verdict)
        {
            case LoadVerdict.Accepted accepted:
                output.WriteLine($"{source.Path}: {style.Good("accepted")} by the kernel verifier: {accepted.Probes.Length} attach point{(accepted.Probes.Length == 1 ? string.Empty : "s")} " +
                    $"{did} in {accepted.LoadTime.TotalMilliseconds:F0} ms, {after} ({string.Join(", ", accepted.Probes)})");
                foreach (var warning in accepted.Warnings)
                {
                    output.WriteLine(style.Warning($"  bpftrace: {warning}"));
                }

                break;
            case LoadVerdict.Rejected rejected:
                DiagnosticRenderer.Write(output, [LoadDiagnostics.ToDiagnostic(rejected)], source, style);
                if (rejected.Verifier is { } verifier)
                {
                    output.WriteLine(style.Bold("  verifier log (tail):"));
                    foreach (var line in verifier.LogTail.Split('\n'))
                    {
                        output.WriteLine($"    {line}");
                    }
                }

                output.WriteLine(style.Error($"rejected at the {LoadDiagnostics.Stage(rejected.Stage)} stage") + (rejected.ExitCode is { } code ? style.Dim($" (bpftrace exit {code})") : string.Empty));
                break;
        }
    }
}
