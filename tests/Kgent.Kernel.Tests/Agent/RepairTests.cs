using Kgent.Kernel.Agent;
using Kgent.Kernel.Agent.Repair;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Agent;

/// <summary>The repair stage: each kind of repair on a program the checker refuses, which passes once repaired; what has
/// no single meaning-preserving fix is left to the model. Checked against the catalog snapshot of this kind of host
/// (bpftrace 0.17, no kprobes).</summary>
public sealed class RepairTests
{
    private static readonly Version Target = new(0, 17);

    private static IReadOnlyList<Diagnostic> ErrorsOf(Candidate candidate) =>
        candidate.Parse.HasErrors ? [.. candidate.Parse.Errors]
        : [.. SemanticChecker.Check(candidate.Parse, Catalogs.Snapshot, CheckOptions.Default with { TargetVersion = Target }).Errors];

    private static RepairOutcome? Repair(string program) => ProgramRepairer.Repair(Candidate.Of(program), ErrorsOf, Target, Catalogs.Snapshot);

    [Theory]
    [InlineData(TextFix.Field, "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filenam)); }", "str(args->filename)")]
    [InlineData(TextFix.Probe, "tracepoint:syscalls:sys_enter_opnat { @[comm] = count(); }", "tracepoint:syscalls:sys_enter_openat {")]
    [InlineData(TextFix.Probe, "tracepoint:syscals:sys_enter_openat { @[comm] = count(); }", "tracepoint:syscalls:sys_enter_openat {")]
    [InlineData(TextFix.Semicolon, "tracepoint:syscalls:sys_enter_openat { @a[comm] = count() @b = count(); }", "count(); @b")]
    [InlineData(TextFix.CloseBrace, "tracepoint:syscalls:sys_enter_openat { @[comm] = count();\n", "count();\n}")]
    [InlineData(TextFix.CloseBrace, "tracepoint:syscalls:sys_enter_openat { @[comm] = count();\ntracepoint:syscalls:sys_enter_close { @c = count(); }\n", "count();\n}\ntracepoint:syscalls:sys_enter_close")]
    [InlineData(TextFix.Str, "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", args->filename); }", "printf(\"%s\\n\", str(args->filename))")]
    [InlineData(RepairStep.Dialect, "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args.filename)); }", "str(args->filename)")]
    [InlineData(RepairStep.KprobeTwin, "kprobe:ksys_read { @bytes[comm] = sum(arg2); }", "tracepoint:syscalls:sys_enter_read { @bytes[comm] = sum(args->count); }")]
    [InlineData(RepairStep.KprobeTwin, "kprobe:do_sys_openat2 /comm == \"cat\"/ { printf(\"%s arg2\\n\", str(arg1)); }",
        "tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_enter_openat2 /comm == \"cat\"/ { printf(\"%s arg2\\n\", str(args->filename)); }")]
    [InlineData(RepairStep.KprobeTwin, "kretprobe:ksys_read { @ret = hist(retval); }", "tracepoint:syscalls:sys_exit_read { @ret = hist(args->ret); }")]
    [InlineData(RepairStep.KprobeTwin, "kprobe:__x64_sys_unlinkat { @[comm] = count(); }", "tracepoint:syscalls:sys_enter_unlinkat {")]
    public void A_repaired_program_passes_where_the_unrepaired_one_fails(string kind, string program, string expected)
    {
        Assert.NotEmpty(ErrorsOf(Candidate.Of(program)));

        var repaired = Repair(program);

        Assert.NotNull(repaired);
        Assert.Empty(ErrorsOf(repaired.Candidate));
        Assert.Contains(expected, repaired.Candidate.Text, StringComparison.Ordinal);
        var step = Assert.Single(repaired.Steps);
        Assert.Equal(kind, step.Kind);
        Assert.StartsWith($"repaired: {kind} at line 1: ", step.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Repairs_of_several_kinds_are_made_round_by_round()
    {
        // A missing ';' hides the misspelt field until the program parses.
        var repaired = Repair("tracepoint:syscalls:sys_enter_openat {\n  @[comm] = count()\n  printf(\"%s\\n\", str(args->filenam));\n}\n");

        Assert.NotNull(repaired);
        Assert.Equal([TextFix.Semicolon, TextFix.Field], repaired.Steps.Select(s => s.Kind));
        Assert.Equal([2, 3], repaired.Steps.Select(s => s.Line));
        Assert.Empty(ErrorsOf(repaired.Candidate));
    }

    [Theory]
    [InlineData("kprobe:vfs_read { @[comm] = count(); }")] // no tracepoint twin
    [InlineData("kprobe:do_sys_openat2 { @[arg2] = count(); }")] // an argument the twins do not read the same way
    [InlineData("kprobe:do_sys_openat2 { @[func] = count(); }")] // the function's name would change
    [InlineData("tracepoint:syscalls:sys_enter_openat { @[comm] = cnt(); }")] // an unknown function has no single fix
    [InlineData("tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->zzzz)); }")] // no field close to it
    [InlineData("tracepoint:syscalls:sys_enter_openat { printf(\"%d\\n\", str(args->filenam)); }")] // one fixable error, one not
    public void What_has_no_single_meaning_preserving_fix_is_left_to_the_model(string program)
    {
        Assert.NotEmpty(ErrorsOf(Candidate.Of(program)));
        Assert.Null(Repair(program));
    }

    [Fact]
    public void A_program_without_errors_needs_no_repair()
    {
        Assert.Null(Repair("tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }"));
    }

    /// <summary>Every row of the twin table against this kind of host's catalog: the function exists and takes the
    /// arguments the row maps, each tracepoint exists, and each mapped field is one of its fields.</summary>
    [Fact]
    public void Every_kprobe_twin_row_holds_on_the_kernel_catalog()
    {
        var catalog = Catalogs.Snapshot;
        Assert.NotNull(catalog.Btf);
        foreach (var twin in KprobeTwins.All)
        {
            var function = catalog.Btf.FindFunction(twin.Function);
            Assert.True(function is not null, $"{twin.Function} is not a kernel function here");
            var parameters = catalog.Btf.PrototypeOf(function)!.Parameters.Length;
            foreach (var (builtin, field) in twin.Arguments)
            {
                if (builtin.StartsWith("arg", StringComparison.Ordinal))
                {
                    Assert.True(int.Parse(builtin[3..], System.Globalization.CultureInfo.InvariantCulture) < parameters, $"{twin.Function} has {parameters} parameters, not {builtin}");
                }

                foreach (var tracepoint in twin.Tracepoints)
                {
                    var parts = tracepoint.Split(':');
                    var format = catalog.FindTracepoint(parts[1], parts[2]);
                    Assert.True(format is not null, $"{tracepoint} does not exist here");
                    Assert.True(format.FindField(field["args->".Length..]) is not null, $"{tracepoint} has no field {field}");
                }
            }

            Assert.All(twin.Tracepoints, t => Assert.NotNull(catalog.FindTracepoint(t.Split(':')[1], t.Split(':')[2])));
        }
    }

    [Fact]
    public async Task The_loop_repairs_a_misspelt_field_instead_of_asking_the_model_again()
    {
        var broken = "```bpftrace\ntracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filenam)); }\n```";
        var fixedProgram = "```bpftrace\ntracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filename)); }\n```";
        var options = new SynthesisOptions(Catalog: Catalogs.Snapshot, Annotate: false, VerifyInKernel: false, ModelName: "scripted");

        var model = new ScriptedChatClient(broken, fixedProgram);
        var repaired = Assert.IsType<SynthesisResult.Succeeded>(await new SynthesisLoop(model, options).RunAsync("print the files being opened"));
        Assert.Single(model.Requests);
        var attempt = Assert.Single(repaired.Attempts);
        Assert.Equal(TextFix.Field, Assert.Single(attempt.Repairs).Kind);
        Assert.Contains(attempt.Notes, n => n == "repaired: did-you-mean field at line 1: 'filenam' → 'filename'");
        Assert.Contains("str(args->filename)", repaired.Program, StringComparison.Ordinal);
        Assert.Contains("args->filenam)", attempt.Reply, StringComparison.Ordinal); // the model's own reply is kept

        // --no-repair: the model is asked again, with the checker's feedback.
        var unrepairedModel = new ScriptedChatClient(broken, fixedProgram);
        var asked = Assert.IsType<SynthesisResult.Succeeded>(await new SynthesisLoop(unrepairedModel, options with { Repair = false }).RunAsync("print the files being opened"));
        Assert.Equal(2, unrepairedModel.Requests.Count);
        Assert.Equal("semantic check", asked.Attempts[0].FailedStage);
        Assert.Empty(asked.Attempts[0].Repairs);
    }
}
