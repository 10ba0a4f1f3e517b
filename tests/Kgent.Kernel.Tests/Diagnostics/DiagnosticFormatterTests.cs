using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Kernel.Tests.Diagnostics;

public sealed class DiagnosticFormatterTests
{
    [Fact]
    public void Compiler_form_with_source_line_caret_and_hint()
    {
        var result = BpftraceParser.Parse("BEGIN {\n  prinft(\"hi\\n\");\n}\n", "hello.bt");

        var text = DiagnosticFormatter.Format(result.Diagnostics.Single(), result.Source);

        Assert.Equal(
            "hello.bt:2:3: error KG1107: unknown function 'prinft'\n" +
            "      prinft(\"hi\\n\");\n" +
            "      ^~~~~~\n" +
            "  hint: did you mean 'printf'?\n",
            text);
    }

    [Fact]
    public void Caret_keeps_tabs_so_it_lines_up()
    {
        var result = BpftraceParser.Parse("BEGIN {\n\t\t$a = 1\n\t\t$b = 2;\n}\n", "tabs.bt");

        var lines = DiagnosticFormatter.Format(result.Diagnostics.Single(), result.Source).Split('\n');

        Assert.Equal("tabs.bt:2:9: error KG1102: expected ';' after this statement", lines[0]);
        Assert.Equal("    \t\t$a = 1", lines[1]);
        Assert.Equal("    \t\t      ^", lines[2]);
    }

    [Fact]
    public void Located_diagnostic_has_one_based_positions_and_exclusive_end()
    {
        var result = BpftraceParser.Parse("kprobee:f { }", "x.bt");

        var located = LocatedDiagnostic.From(result.Diagnostics.Single(), result.Source);

        Assert.Equal(new LocatedDiagnostic("x.bt", 1, 1, 1, 8, "KG1201", "error", "unknown probe type 'kprobee'", "did you mean 'kprobe'?"), located);
    }

    [Theory]
    [InlineData("printf", "prinft", 1)]
    [InlineData("kprobe", "kprobee", 1)]
    [InlineData("count", "cuont", 1)]
    [InlineData("hist", "lhist", 1)]
    [InlineData("abc", "xyz", 3)]
    public void Edit_distance_counts_transpositions_as_one(string a, string b, int distance) =>
        Assert.Equal(distance, Suggestions.Distance(a, b));

    [Fact]
    public void No_suggestion_when_nothing_is_close() =>
        Assert.Null(Suggestions.Closest("frobnicate", ["printf", "count", "hist"]));
}
