using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Toolchain;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>vmlinux.h is precompiled only for programs it cannot change: those whose first directive includes it.</summary>
public sealed class PrecompiledVmlinuxTests
{
    [Theory]
    [InlineData("#include \"vmlinux.h\"\n#include <bpf/bpf_helpers.h>\n", true)]
    [InlineData("// SPDX-License-Identifier: GPL-2.0\n/* Counts\n   opens */\n\n#include <vmlinux.h>\n", true)]
    [InlineData("/* one line */ #include \"vmlinux.h\"\n", true)]
    [InlineData("#define BPF_NO_PRESERVE_ACCESS_INDEX\n#include \"vmlinux.h\"\n", false)]
    [InlineData("#include <linux/bpf.h>\n#include \"vmlinux.h\"\n", false)]
    [InlineData("int x;\n#include \"vmlinux.h\"\n", false)]
    [InlineData("#include \"my_vmlinux.h\"\n", false)]
    public void Only_a_leading_include_of_vmlinux_h_takes_the_pch(string text, bool expected) =>
        Assert.Equal(expected, PrecompiledVmlinux.StartsWithVmlinux(text));

    [ClangFact]
    public void A_program_without_vmlinux_h_compiles_as_written()
    {
        // Its own definitions would clash with vmlinux.h's if the PCH were injected.
        var source = new SourceText("#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n\nstruct task_struct { int pid; };\n\n" +
            "SEC(\"tp/syscalls/sys_enter_sync\")\nint on_sync(void *ctx)\n{\n    return 0;\n}\n\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n", "plain.bpf.c");

        using var build = ClangCompiler.Compile(source);

        Assert.True(build.Succeeded, string.Join('\n', build.Diagnostics.Select(d => d.Message)) + build.Problem);
    }

    [ClangFact]
    public void With_and_without_the_pch_the_object_is_the_same_program()
    {
        var source = CFixtures.Load("accepted", "opens-by-comm.bpf.c");

        using var fast = ClangCompiler.Compile(source);
        using var plain = ClangCompiler.Compile(source, new CompileOptions(Precompile: false));

        var a = Assert.Single(fast.Object!.Programs);
        var b = Assert.Single(plain.Object!.Programs);
        Assert.Equal(b.Instructions.Length, a.Instructions.Length);
        var differ = Enumerable.Range(0, a.Instructions.Length).Where(i => a.Instructions[i] != b.Instructions[i]).Select(i => $"{i}: {a.Instructions[i]} / {b.Instructions[i]}");
        Assert.Empty(differ);
        Assert.Equal(b.Lines.Select(l => (l.Instruction, l.Line, l.Column)), a.Lines.Select(l => (l.Instruction, l.Line, l.Column)));
    }
}
