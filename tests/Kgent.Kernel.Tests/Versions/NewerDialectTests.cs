using Kgent.Kernel.Agent;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Versions;

/// <summary>Programs in a newer bpftrace's dialect, on a 0.17 target: the parser reads `let` declarations, and the
/// checker names the release that added each feature and the spelling for 0.17, so a model that writes the current
/// language gets feedback it can act on.</summary>
public sealed class NewerDialectTests
{
    private const string Newer = "tracepoint:syscalls:sys_enter_openat\n{\n  let $p = str(args.filename);\n  printf(\"%s\\n\", $p);\n}\n";

    [Fact]
    public void A_let_declaration_parses_and_prints_back()
    {
        var parse = BpftraceParser.Parse(Newer);

        Assert.False(parse.HasErrors, string.Join("; ", parse.Diagnostics.Select(d => d.Message)));
        Assert.Contains("let $p = str(args.filename);", BpftracePrinter.Print(parse.Program), StringComparison.Ordinal);
        Assert.Equal(BpftracePrinter.Print(parse.Program), BpftracePrinter.Print(BpftraceParser.Parse(BpftracePrinter.Print(parse.Program)).Program));
    }

    [Fact]
    public void The_checker_names_the_release_and_the_rewrite_for_0_17()
    {
        var check = SemanticChecker.Check(BpftraceParser.Parse(Newer, "newer.bt"), Catalogs.Snapshot);

        var let = Assert.Single(check.Errors, d => d.Code == "KG2701");
        Assert.Contains("bpftrace 0.22", let.Message, StringComparison.Ordinal);
        Assert.Contains($"targets bpftrace {BpftraceLanguage.Target}", let.Message, StringComparison.Ordinal);
        Assert.Contains("write $p = …", let.Hint, StringComparison.Ordinal);
        var args = Assert.Single(check.Errors, d => d.Code == "KG2205");
        Assert.Contains("bpftrace 0.19", args.Message, StringComparison.Ordinal);
        Assert.Equal("write args->filename", args.Hint);
    }

    [Fact]
    public void A_declaration_without_a_value_is_a_clear_error()
    {
        var parse = BpftraceParser.Parse("BEGIN { let $x; }\n");

        Assert.Contains(parse.Errors, d => d.Message.Contains("expected '=' after the declared variable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_writing_the_0_27_dialect_is_told_the_version_and_the_rewrite_and_the_loop_ends_verified()
    {
        const string Fixed = "tracepoint:syscalls:sys_enter_openat\n{\n  $p = str(args->filename);\n  printf(\"%s\\n\", $p);\n}\n";
        var model = new ScriptedChatClient($"```bpftrace\n{Newer}```", $"```bpftrace\n{Fixed}```", "no annotations");
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Contracts: SymbolicCases.Contracts, VerifyInKernel: false,
            ModelName: "scripted", Intent: new OfflineIntentReader()));

        var result = await loop.RunAsync("print the path of every file being opened");

        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.True(success.IsVerified, success.Verdict);
        Assert.Equal("semantic check", success.Attempts[0].FailedStage);
        var feedback = success.Attempts[0].Feedback.Select(f => f.ToPromptText()).ToList();
        Assert.Contains(feedback, f => f.Contains("`let` needs bpftrace 0.22", StringComparison.Ordinal) && f.Contains("write $p = …", StringComparison.Ordinal));
        Assert.Contains(feedback, f => f.Contains("bpftrace 0.19", StringComparison.Ordinal) && f.Contains("args->filename", StringComparison.Ordinal));
        Assert.Contains("`let` needs bpftrace 0.22", model.UserMessage(1), StringComparison.Ordinal);
        Assert.Equal(Fixed, success.Program);
    }
}
