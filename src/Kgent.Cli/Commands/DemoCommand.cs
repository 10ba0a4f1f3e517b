using System.Reflection;
using Kgent.Cli.Output;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent demo</c>: the main job as far as it exists today. It parses the bundled
/// <c>tcp_connect.bt</c> (the paper's case study, written for kernels without kprobes), prints its canonical
/// form, strips the Kgent annotations as the pipeline does before the kernel sees a program, and shows the
/// diagnostics Kgent gives for a program with typical mistakes. Later stages grow this into the full
/// English-to-verified-program run.</summary>
public static class DemoCommand
{
    public const string Request = "trace TCP connects with their IPv4/IPv6 addresses and ports";

    public static int Run(TextWriter output, ConsoleStyle style)
    {
        var good = Load("tcp_connect.bt");
        var broken = Load("broken.bt");

        output.WriteLine(style.Bold("Kgent demo") + style.Dim(" - the bpftrace front end (parse, print, annotations, diagnostics)"));
        output.WriteLine();
        output.WriteLine(style.Bold("1. The request and a candidate program"));
        output.WriteLine($"   request:   \"{Request}\"");
        var result = BpftraceParser.Parse(good);
        var probes = result.Program.Probes.ToList();
        output.WriteLine($"   candidate: {good.Path} ({good.LineCount} lines, {probes.Count} probes: " +
                         string.Join(", ", probes.SelectMany(p => p.AttachPoints).Select(a => a.CanonicalText)) + ")");
        output.WriteLine($"   parse:     {(result.HasErrors ? style.Error("failed") : style.Good("ok"))}, {result.Diagnostics.Length} diagnostics, " +
                         $"{AnnotationStripper.CountAnnotations(result.Program)} Kgent annotations");
        DiagnosticRenderer.Write(output, result, style);
        output.WriteLine();

        output.WriteLine(style.Bold("2. Canonical form") + style.Dim(" (kgent fmt)"));
        output.Write(Indent(BpftracePrinter.Print(result)));
        output.WriteLine();

        output.WriteLine(style.Bold("3. What the kernel receives") + style.Dim(" (annotations stripped after verification)"));
        var stripped = AnnotationStripper.Strip(result.Program);
        var tracepointProbe = stripped.Probes.First(p => p.AttachPoints.Any(a => a.Type == ProbeType.Tracepoint));
        output.Write(Indent(BpftracePrinter.Print(stripped with { Items = [tracepointProbe], Comments = [] })));
        output.WriteLine();

        output.WriteLine(style.Bold("4. Diagnostics for a program with typical mistakes") + style.Dim($" ({broken.Path})"));
        var brokenResult = BpftraceParser.Parse(broken);
        DiagnosticRenderer.Write(output, brokenResult, style);
        output.WriteLine();

        var parsed = (result.HasErrors ? 0 : 1) + (brokenResult.HasErrors ? 0 : 1);
        output.WriteLine($"parsed {parsed}/2 files ({brokenResult.Errors.Count()} errors in {broken.Path}, as intended)");
        return result.HasErrors || !brokenResult.HasErrors ? 1 : 0;
    }

    private static SourceText Load(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream("examples/" + name)
            ?? throw new InvalidOperationException($"the bundled example {name} is missing from this build");
        using var reader = new StreamReader(stream);
        return new SourceText(reader.ReadToEnd(), "examples/" + name);
    }

    private static string Indent(string text) =>
        string.Concat(text.Split('\n').Select((line, i) => line.Length == 0 ? (i == 0 ? string.Empty : "\n") : "   " + line + "\n")).TrimEnd('\n') + "\n";
}
