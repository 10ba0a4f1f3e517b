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
        Assert.Contains("the target is bpftrace 0.17", let.Message, StringComparison.Ordinal);
        Assert.Contains("write $p = …", let.Hint, StringComparison.Ordinal);
        var args = Assert.Single(check.Errors, d => d.Code == "KG2205");
        Assert.Contains("bpftrace 0.19", args.Message, StringComparison.Ordinal);
        Assert.Equal("write args->filename", args.Hint);
    }

    [Fact]
    public void Each_newer_construct_names_the_release_that_added_it_and_is_accepted_from_that_release_on()
    {
        const string Program = """
            config = { max_strlen = 128 }
            macro add1(x) { x + 1 }
            begin { let $d: uint64 = 5ms; $e = true; $r = (name = comm, n = 1); $p = &$d; for ($i : 0..3) { $d += $i; } if $e { print($r.name); } @m[1] = count(); for ($kv : @m) { print($kv.0); } $f = comm(); $g = add1(2); }
            """;
        var parse = BpftraceParser.Parse(Program, "newer.bt");
        Assert.False(parse.HasErrors, RoundTrip.Describe(parse));
        (string Spelled, string Release)[] expected =
        [
            ("`config = { … }`", "0.20"), ("`macro add1`", "0.24"), ("`begin`", "0.24"), ("`let`", "0.22"), ("`5ms`", "0.24"), ("`true`", "0.24"),
            ("`(name = …)`", "0.25"), ("`&`", "0.26"), ("`for ($i : a..b)`", "0.24"), ("`if without parentheses`", "0.24"),
            ("`for ($kv : @map)`", "0.21"), ("`comm()`", "0.24"),
        ];

        var on017 = SemanticChecker.Check(parse, Catalogs.Snapshot).Diagnostics.Where(d => d.Code == "KG2701").Select(d => d.Message).ToList();
        foreach (var (spelled, release) in expected)
        {
            Assert.Contains(on017, m => m.StartsWith($"{spelled} needs bpftrace {release}, ", StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, on017.Count);
        var on025 = SemanticChecker.Check(parse, Catalogs.Snapshot, CheckOptions.Default with { TargetVersion = new Version(0, 25, 0) })
            .Diagnostics.Where(d => d.Code == "KG2701").Select(d => d.Message).ToList();
        Assert.Equal(["`&` needs bpftrace 0.26, which added the address-of operator; the target is bpftrace 0.25"], on025);
    }

    [Fact]
    public void A_removed_builtin_and_a_deprecated_loop_are_reported_on_the_releases_that_changed_them()
    {
        var parse = BpftraceParser.Parse("kprobe:vfs_read { $a = sarg0; $i = 0; while ($i < 3) { $i++; } }", "old.bt");
        var on027 = SemanticChecker.Check(parse, Catalogs.Snapshot, CheckOptions.Default with { TargetVersion = new Version(0, 27, 1) }).Diagnostics;
        Assert.Contains(on027, d => d.Code == "KG2702" && d.Message.Contains("removed in bpftrace 0.25", StringComparison.Ordinal));
        Assert.Contains(on027, d => d.Code == "KG2703" && d.Message.Contains("`while` is deprecated since bpftrace 0.25", StringComparison.Ordinal));
        var on017 = SemanticChecker.Check(parse, Catalogs.Snapshot).Diagnostics;
        Assert.DoesNotContain(on017, d => d.Code.StartsWith("KG27", StringComparison.Ordinal));
    }

    [Fact]
    public void A_declaration_without_a_value_parses_and_needs_0_22()
    {
        var parse = BpftraceParser.Parse("BEGIN { let $x; let $y: uint64; $x = 1; $y = 2; print($x + $y); }\n", "declare.bt");
        Assert.False(parse.HasErrors, RoundTrip.Describe(parse));

        var check = SemanticChecker.Check(parse, Catalogs.Snapshot);
        Assert.Equal(2, check.Errors.Count(d => d.Code == "KG2701" && d.Message.Contains("bpftrace 0.22", StringComparison.Ordinal)));
        Assert.DoesNotContain(SemanticChecker.Check(parse, Catalogs.Snapshot, CheckOptions.Default with { TargetVersion = new Version(0, 22, 0) }).Errors,
            d => d.Code.StartsWith("KG27", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_writing_the_0_27_dialect_is_repaired_by_the_dialect_rewrite_in_one_call()
    {
        var model = new ScriptedChatClient($"```bpftrace\n{Newer}```", "no annotations");
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Contracts: SymbolicCases.Contracts, VerifyInKernel: false,
            ModelName: "scripted", Intent: new OfflineIntentReader()));

        var success = Assert.IsType<SynthesisResult.Succeeded>(await loop.RunAsync("print the path of every file being opened"));

        var attempt = Assert.Single(success.Attempts);
        Assert.True(success.IsVerified, success.Verdict);
        Assert.Equal(Kgent.Kernel.Agent.Repair.RepairStep.Dialect, Assert.Single(attempt.Repairs).Kind);
        Assert.Contains("args->filename", success.Program, StringComparison.Ordinal);
        Assert.DoesNotContain("let ", success.Program, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_writing_the_0_27_dialect_is_told_the_version_and_the_rewrite_and_the_loop_ends_verified()
    {
        const string Fixed = "tracepoint:syscalls:sys_enter_openat\n{\n  $p = str(args->filename);\n  printf(\"%s\\n\", $p);\n}\n";
        var model = new ScriptedChatClient($"```bpftrace\n{Newer}```", $"```bpftrace\n{Fixed}```", "no annotations");
        // Without the repair stage (which would rewrite the dialect itself: the next test), the model is told.
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Contracts: SymbolicCases.Contracts, VerifyInKernel: false,
            ModelName: "scripted", Intent: new OfflineIntentReader()) { Repair = false });

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

    [Theory]
    [InlineData("0.17.0", "args->filename")]
    [InlineData("0.27.1", "args.filename")]
    public async Task The_offline_model_and_the_examples_in_the_prompt_write_the_targets_dialect(string release, string spelling)
    {
        var target = Version.Parse(release);
        using var store = Kgent.Kernel.Examples.ExampleStore.Open(":memory:");
        store.Add(Kgent.Kernel.Examples.Example.New("print the path of every file being opened",
            "tracepoint:syscalls:sys_enter_openat\n{\n  printf(\"%s\\n\", str(args->filename));\n}\n", "test"));
        var model = new Kgent.Kernel.Agent.Offline.OfflineRetrievalModel(Catalogs.Snapshot, SymbolicCases.Contracts);
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Contracts: SymbolicCases.Contracts, Store: store,
            VerifyInKernel: false, ModelName: "offline", Intent: new OfflineIntentReader(), Learn: false) { TargetVersion = target });

        var result = await loop.RunAsync("print the path of every file being opened");

        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.True(success.IsVerified, success.Verdict);
        Assert.Contains(spelling, success.Program, StringComparison.Ordinal);
        var prompt = Prompter.Build("print the path of every file being opened", store.Search("print the path of every file being opened", 3), [], Catalogs.Snapshot, target);
        Assert.Contains($"(bpftrace {Kgent.Kernel.Bpftrace.Language.BpftraceLanguage.Name(target)})", prompt.Boilerplate, StringComparison.Ordinal);
        Assert.Contains(spelling, prompt.UserMessage, StringComparison.Ordinal);
    }
}
