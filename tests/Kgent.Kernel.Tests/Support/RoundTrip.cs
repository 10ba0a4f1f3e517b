using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Tests.Support;

public static class RoundTrip
{
    /// <summary>Parses, prints, re-parses; asserts no errors anywhere and structurally equal trees. Returns the printed text.</summary>
    public static string AssertStable(SourceText source)
    {
        var first = BpftraceParser.Parse(source);
        Assert.False(first.HasErrors, Describe(first));
        var printed = BpftracePrinter.Print(first);
        var second = BpftraceParser.Parse(new SourceText(printed, source.Path + " (printed)"));
        Assert.False(second.HasErrors, Describe(second) + "\n--- printed ---\n" + printed);
        Assert.Equal(SyntaxTreeDump.Dump(first.Program), SyntaxTreeDump.Dump(second.Program));
        return printed;
    }

    public static string Describe(ParseResult result) =>
        string.Join("\n", result.Diagnostics.Select(d => Bpftrace.Diagnostics.DiagnosticFormatter.Format(d, result.Source)));
}
