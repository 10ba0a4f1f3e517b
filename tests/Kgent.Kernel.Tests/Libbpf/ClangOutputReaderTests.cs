using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Libbpf.Compile;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>clang's diagnostics in Kgent's form, from clang 14's own output text.</summary>
public sealed class ClangOutputReaderTests
{
    private const string Compiled = "/tmp/kgent-clang-x/prog.bpf.c";

    private static readonly SourceText Source = new(
        "#include \"vmlinux.h\"\n#include <bpf/bpf_helpers.h>\nint x;\nint f(void)\n{\n    int unused;\n    return y;\n}\n", "prog.bpf.c");

    [Fact]
    public void Error_points_at_its_line_and_column_with_the_token_underlined()
    {
        var diagnostics = ClangOutputReader.Read("prog.bpf.c:7:12: error: use of undeclared identifier 'y'\n1 error generated.\n", Source, Compiled);

        var error = Assert.Single(diagnostics);
        Assert.Equal("KG8001", error.Code);
        Assert.Equal("use of undeclared identifier 'y'", error.Message);
        Assert.Equal(new LinePosition(7, 12), Source.GetLinePosition(error.Span.Start));
        Assert.Equal(1, error.Span.Length);
    }

    [Fact]
    public void Warning_keeps_its_flag_as_the_hint_and_notes_become_the_hint()
    {
        var diagnostics = ClangOutputReader.Read(
            "/tmp/kgent-clang-x/prog.bpf.c:6:9: warning: unused variable 'unused' [-Wunused-variable]\n" +
            "prog.bpf.c:7:12: error: use of undeclared identifier 'y'\nprog.bpf.c:3:5: note: did you mean 'x'?\n", Source, Compiled);

        Assert.Equal(2, diagnostics.Length);
        Assert.Equal("KG8002", diagnostics[0].Code);
        Assert.Equal("unused variable 'unused'", diagnostics[0].Message);
        Assert.Equal("clang's -Wunused-variable warning", diagnostics[0].Hint);
        Assert.Equal("did you mean 'x'?", diagnostics[1].Hint);
    }

    [Fact]
    public void Error_inside_a_header_points_at_the_include_that_brought_it_in()
    {
        var diagnostics = ClangOutputReader.Read(
            "In file included from prog.bpf.c:2:\n/usr/include/bpf/bpf_helpers.h:10:3: error: unknown type name 'foo'\n", Source, Compiled);

        var error = Assert.Single(diagnostics);
        Assert.Equal(2, Source.GetLinePosition(error.Span.Start).Line);
        Assert.Contains("(in bpf_helpers.h:10:3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_the_same_name_elsewhere_is_not_the_program()
    {
        var diagnostics = ClangOutputReader.Read("/elsewhere/prog.bpf.c:7:12: error: boom\n", Source, Compiled);

        var error = Assert.Single(diagnostics);
        Assert.Equal(1, Source.GetLinePosition(error.Span.Start).Line);
        Assert.Contains("(in prog.bpf.c:7:12)", error.Message, StringComparison.Ordinal);
    }
}
