using System.Globalization;
using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent run FILE [--duration 5s] [--max-events N] [--workload CMD] [--timeout S] [--json] [--allow-unsafe BUILTIN]</c>:
/// runs the program with bpftrace (a <c>*.c</c> file: compiled and run through libbpf) and prints its output and maps. Exit 0 when it ran, 1 when it was rejected, 2 on bad
/// options. Ctrl-C or SIGTERM stops tracing as the duration would and prints what was traced (exit 130 or 143).</summary>
public static class RunCommand
{
    public static int Run(string path, string? duration, int? maxEvents, string? workload, Kgent.Kernel.Safety.SafetyAllowance allowed, int? timeoutSeconds, bool json,
        TextWriter output, TextWriter error, ConsoleStyle style,
        string? bpftrace = null)
    {
        if (!NumericOption.InRange(error, "--timeout", timeoutSeconds, 1, 3600, "seconds"))
        {
            return 2;
        }

        if (!TryParseDuration(duration ?? "5s", out var length))
        {
            error.WriteLine($"kgent: error: --duration '{duration}' is not a duration; write e.g. 5s, 500ms or 2m");
            return 2;
        }

        if (!NumericOption.InRange(error, "--max-events", maxEvents, 1, 10_000_000, "events"))
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

        using var interrupt = new Interrupt();
        var loading = new VerifyOptions(allowed, timeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null, catalog, BpftracePath: bpftrace);
        var options = new RunOptions(length, maxEvents, workload, Verify: loading);
        if (Kgent.Kernel.Libbpf.CSource.IsC(path))
        {
            using var build = Kgent.Kernel.Libbpf.Compile.ClangCompiler.Compile(source);
            return Report(path, source, Kgent.Kernel.Libbpf.Run.CProgramRunner.Run(build, options, interrupt.Token), interrupt, json, output, style);
        }

        var parse = BpftraceParser.Parse(source);
        return Report(path, source, ProgramRunner.Run(parse, options, interrupt.Token), interrupt, json, output, style);
    }

    private static int Report(string path, Kgent.Kernel.Bpftrace.Text.SourceText source, RunResult result, Interrupt interrupt, bool json, TextWriter output, ConsoleStyle style)
    {
        var code = interrupt.Token.IsCancellationRequested ? interrupt.ExitCode : result.Load.IsAccepted ? 0 : 1;
        if (json)
        {
            Json.Write(output, RunReport.From(path, result, source));
            return code;
        }

        if (result.Load is LoadVerdict.Rejected)
        {
            VerifyCommand.Write(output, result.Load, source, style);
            return code;
        }

        RunRenderer.Write(output, result, style);
        return code;
    }

    /// <summary><c>5s</c>, <c>500ms</c>, <c>2m</c>, or a plain number of seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        text = text.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        var ok = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value * unit <= 24 * 3600;
        duration = ok ? TimeSpan.FromSeconds(value * unit) : TimeSpan.Zero;
        return ok;
    }
}
