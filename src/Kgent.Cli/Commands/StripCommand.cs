using Kgent.Cli.Output;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent strip FILE</c>: prints the program with its assume/assert annotations removed, everything else as written.</summary>
public static class StripCommand
{
    public static int Run(string path, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        if (SourceLoader.NotForC(path, "strip") is { } notC)
        {
            error.WriteLine($"kgent: error: {notC}");
            return 1;
        }

        var source = SourceLoader.TryLoad(path, error, out _);
        if (source is null)
        {
            return 1;
        }

        var parse = BpftraceParser.Parse(source);
        if (parse.HasErrors)
        {
            DiagnosticRenderer.Write(error, parse, style);
            error.WriteLine($"kgent: error: not stripping '{path}': fix the errors above first");
            return 1;
        }

        output.Write(AnnotationStripper.StripText(parse));
        return 0;
    }
}
