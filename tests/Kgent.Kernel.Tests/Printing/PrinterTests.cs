using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Printing;

public sealed class PrinterTests
{
    [Fact]
    public void Canonical_layout()
    {
        var result = BpftraceParser.Parse("k:vfs_read,k:vfs_write/pid==1/{@[comm]=count();if($a){$b=1}else{$b=2}}", "a.bt");

        Assert.Equal(
            "kprobe:vfs_read,\n" +
            "kprobe:vfs_write\n" +
            "/pid == 1/\n" +
            "{\n" +
            "  @[comm] = count();\n" +
            "  if ($a) {\n" +
            "    $b = 1;\n" +
            "  } else {\n" +
            "    $b = 2;\n" +
            "  }\n" +
            "}\n",
            BpftracePrinter.Print(result));
    }

    [Theory]
    [InlineData("(1 + 2) * 3", "(1 + 2) * 3")]
    [InlineData("1 + (2 * 3)", "1 + 2 * 3")]
    [InlineData("1 - (2 - 3)", "1 - (2 - 3)")]
    [InlineData("(1 - 2) - 3", "1 - 2 - 3")]
    [InlineData("(1 ? 2 : 3) ? 4 : 5", "(1 ? 2 : 3) ? 4 : 5")]
    [InlineData("1 ? 2 : (3 ? 4 : 5)", "1 ? 2 : 3 ? 4 : 5")]
    [InlineData("-(5)", "-(5)")]
    [InlineData("-(-$a)", "-(-$a)")]
    [InlineData("(uint8)($a + 1)", "(uint8)($a + 1)")]
    [InlineData("(*$p).x", "(*$p).x")]
    [InlineData("((struct sock *)$a)->sk_family", "((struct sock *)$a)->sk_family")]
    [InlineData("!($a && $b)", "!($a && $b)")]
    public void Parentheses_only_where_the_tree_needs_them(string input, string expected) =>
        Assert.Equal(expected, BpftracePrinter.Print(Parse.Expression(input)));

    [Fact]
    public void Literals_are_printed_as_written()
    {
        Assert.Equal("0x1F + 010 + 1_000 + \"a\\x41\"", BpftracePrinter.Print(Parse.Expression("0x1F+010+1_000+\"a\\x41\"")));
    }

    [Fact]
    public void Comments_stay_before_or_after_their_statements_and_blank_lines_are_kept()
    {
        const string text = "// header\n\nBEGIN\n{\n  // leading\n  $a = 1;   // trailing\n\n  $b = 2;\n  /* closing */\n}\n";
        var printed = BpftracePrinter.Print(BpftraceParser.Parse(text, "c.bt"));

        Assert.Equal("// header\n\nBEGIN\n{\n  // leading\n  $a = 1; // trailing\n\n  $b = 2;\n  /* closing */\n}\n", printed);
    }

    [Fact]
    public void Preprocessor_lines_stay_grouped_and_verbatim()
    {
        const string text = "#include <linux/sched.h>\n#include <net/sock.h>\nstruct x { int a; };\nBEGIN { }\n";
        Assert.Equal("#include <linux/sched.h>\n#include <net/sock.h>\n\nstruct x { int a; };\n\nBEGIN\n{\n}\n",
            BpftracePrinter.Print(BpftraceParser.Parse(text, "p.bt")));
    }

    [Fact]
    public void Kgent_examples_round_trip()
    {
        foreach (var path in Support.Corpus.ExamplePaths().Where(p => !p.EndsWith("broken.bt", StringComparison.Ordinal)))
        {
            RoundTrip.AssertStable(Bpftrace.Text.SourceText.FromFile(path));
        }
    }
}
