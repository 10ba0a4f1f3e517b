using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Corpus;

/// <summary>The real-world corpus: every bpftrace tool Debian installs, enumerated at run time.</summary>
public sealed class InstalledToolsTests
{
    [InstalledToolsTheory]
    [MemberData(nameof(Support.Corpus.InstalledTools), MemberType = typeof(Support.Corpus))]
    public void Tool_parses_without_diagnostics(string tool)
    {
        var result = BpftraceParser.Parse(Support.Corpus.LoadTool(tool));

        Assert.True(result.Diagnostics.IsEmpty, RoundTrip.Describe(result));
        Assert.NotEmpty(result.Program.Probes);
    }

    [InstalledToolsTheory]
    [MemberData(nameof(Support.Corpus.InstalledTools), MemberType = typeof(Support.Corpus))]
    public void Tool_round_trips_through_the_printer(string tool) => RoundTrip.AssertStable(Support.Corpus.LoadTool(tool));

    [InstalledToolsTheory]
    [MemberData(nameof(Support.Corpus.InstalledTools), MemberType = typeof(Support.Corpus))]
    public void Printing_is_idempotent(string tool)
    {
        var printed = RoundTrip.AssertStable(Support.Corpus.LoadTool(tool));
        var reprinted = BpftracePrinter.Print(BpftraceParser.Parse(new SourceText(printed, tool)));

        Assert.Equal(printed, reprinted);
    }

    [InstalledToolsTheory]
    [MemberData(nameof(Support.Corpus.InstalledTools), MemberType = typeof(Support.Corpus))]
    public void Printing_keeps_every_comment(string tool)
    {
        var source = Support.Corpus.LoadTool(tool);
        var original = BpftraceParser.Parse(source);
        var printed = BpftracePrinter.Print(original);

        foreach (var comment in original.Program.Comments)
        {
            Assert.Contains(comment.Text, printed, StringComparison.Ordinal);
        }
    }

    [InstalledToolsFact]
    public void The_corpus_is_the_full_debian_tool_set()
    {
        var count = Support.Corpus.InstalledToolPaths().Length;
        Assert.True(count >= 30, $"expected the ~38 tools of Debian's bpftrace package, found {count}");
    }
}
