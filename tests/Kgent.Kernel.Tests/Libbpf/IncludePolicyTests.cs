using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Libbpf.Compile;

namespace Kgent.Kernel.Tests.Libbpf;

public sealed class IncludePolicyTests
{
    [Theory]
    [InlineData("#include \"vmlinux.h\"")]
    [InlineData("#include <bpf/bpf_helpers.h>")]
    [InlineData("  #  include <linux/types.h>")]
    [InlineData("#include \"local/header.h\"")]
    public void Headers_by_name_are_allowed(string line) =>
        Assert.Empty(IncludePolicy.Review(new SourceText(line + "\n", "p.bpf.c")));

    [Theory]
    [InlineData("#include \"/etc/shadow\"", "absolute path")]
    [InlineData("#include </root/.ssh/id_rsa>", "absolute path")]
    [InlineData("#include \"../../etc/passwd\"", "'..'")]
    [InlineData("#include SECRET", "not through a macro")]
    [InlineData("#include_next <stdio.h>", "#include_next is not allowed")]
    [InlineData("#import \"x.h\"", "#import is not allowed")]
    public void Includes_that_could_read_any_file_are_refused(string line, string reason)
    {
        var refused = Assert.Single(IncludePolicy.Review(new SourceText("int x;\n" + line + "\n", "p.bpf.c")));

        Assert.Equal("KG8012", refused.Code);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Equal("int x;\n".Length, refused.Span.Start);
    }

    [Fact]
    public void A_refused_include_never_reaches_clang()
    {
        // No toolchain is needed to refuse it: the compile stops before looking for clang's output.
        using var build = ClangCompiler.Compile(new SourceText("#include \"/etc/shadow\"\n", "p.bpf.c"),
            new CompileOptions(new Kgent.Kernel.Libbpf.Toolchain.CToolchain("/nonexistent/clang", "/usr/include", "/usr/sbin/bpftool")));

        Assert.False(build.Succeeded);
        Assert.Null(build.Problem);
        Assert.Equal("KG8012", Assert.Single(build.Diagnostics).Code);
    }
}
