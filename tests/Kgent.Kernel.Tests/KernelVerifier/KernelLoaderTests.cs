using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.KernelVerifier;

/// <summary>The kernel verifier stage against the real kernel: accepted programs, and a rejection at each stage with
/// the right classification.</summary>
[Collection(KernelCollection.Name)]
public sealed class KernelLoaderTests
{
    private static readonly Kgent.Kernel.KernelInfo.Host.Bpftrace.BpftraceInstallation Bpftrace = new(["bpftrace"], null, new Version(0, 17, 0), "bpftrace");

    public static TheoryData<string> DatasetTracepointPrograms => new()
    {
        // Tracepoint programs of datasets/symbolic's verdict suite (annotations are stripped before loading).
        "predicate-constrains-pid", "if-else-both-branches", "else-if-chain", "short-circuit-and", "unroll-sum", "while-bounded",
        "while-break", "return-prunes-path", "cast-uint16-of-field", "shift-and-mask", "field-width-bounds-u16",
        "str-same-pointer-same-string", "map-count-increments", "tuple-key-map", "contract-exit-read-errno", "contract-kmalloc-waste",
    };

    private static LoadVerdict Verify(string text, VerifyOptions? options = null) =>
        KernelLoader.Verify(BpftraceParser.Parse(text, "test.bt"), options ?? new VerifyOptions(Catalog: Catalogs.Snapshot));

    private static LoadVerdict.Rejected Rejected(string text, VerifyOptions? options = null) =>
        Assert.IsType<LoadVerdict.Rejected>(Verify(text, options));

    [BpftraceTheory]
    [MemberData(nameof(DatasetTracepointPrograms))]
    public void Dataset_tracepoint_program_is_accepted_and_runs(string name)
    {
        var program = SymbolicCases.Verdicts.Single(c => c.Name == name).Program;

        var verdict = Verify(program);

        var accepted = Assert.IsType<LoadVerdict.Accepted>(verdict);
        Assert.NotEmpty(accepted.Probes);
        Assert.True(accepted.LoadTime > TimeSpan.Zero);
        var run = Kgent.Kernel.Runner.ProgramRunner.Run(BpftraceParser.Parse(program, name + ".bt"),
            new Kgent.Kernel.Runner.RunOptions(TimeSpan.FromMilliseconds(200), Workload: "cat /etc/hostname > /dev/null"));
        Assert.True(run.Succeeded, $"{run.StoppedBy}, exit {run.ExitCode}: {string.Join('\n', run.Messages)}");
    }

    [BpftraceFact]
    public void Case_study_and_example_tracepoint_programs_are_accepted()
    {
        foreach (var path in new[] { SymbolicCases.CaseStudy("inet_sock_set_state.annotated.bt"), Path.Combine(Support.Corpus.RepositoryRoot, "examples", "tcp_connect.bt") })
        {
            var verdict = KernelLoader.Verify(BpftraceParser.Parse(SourceText.FromFile(path)), new VerifyOptions(Catalog: Catalogs.Snapshot));
            Assert.True(verdict.IsAccepted, $"{path}: {verdict}");
        }
    }

    [Fact]
    public void Syntax_error_is_a_parse_rejection_with_its_span()
    {
        var rejected = Rejected("tracepoint:syscalls:sys_enter_openat { @x = ; }");

        Assert.Equal(LoadStage.Parse, rejected.Stage);
        Assert.NotNull(rejected.Span);
    }

    [BpftraceFact]
    public void Unknown_tracepoint_is_a_semantic_rejection_at_the_attach_point()
    {
        const string text = "BEGIN { }\ntracepoint:syscalls:sys_enter_nosuch { @x = count(); }\n";
        var rejected = Rejected(text);

        Assert.Equal(LoadStage.Semantic, rejected.Stage);
        Assert.Contains("tracepoint not found: syscalls:sys_enter_nosuch", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(text.IndexOf("tracepoint:", StringComparison.Ordinal), rejected.Span!.Value.Start);
        Assert.Equal(1, rejected.ExitCode);
    }

    [KprobelessKernelFact]
    public void Kprobe_on_a_kernel_without_kprobes_is_an_attach_rejection_with_tracepoint_alternatives()
    {
        const string text = "kprobe:tcp_connect { @x = count(); }\n";

        var rejected = Rejected(text, new VerifyOptions(Catalog: Catalogs.Live));

        Assert.Equal(LoadStage.Attach, rejected.Stage);
        Assert.Contains("kprobe:tcp_connect cannot attach", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("kprobe", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("tracepoint:sock:inet_sock_set_state", rejected.Hint, StringComparison.Ordinal);
        Assert.Equal(0, rejected.Span!.Value.Start);
    }

    [BpftraceFact]
    public void Infinite_loop_is_rejected_by_the_kernel_verifier_with_its_message_and_instruction()
    {
        var path = Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "kernel-verifier", "infinite_loop.bt");
        var program = BpftraceParser.Parse(SourceText.FromFile(path));

        var rejected = Assert.IsType<LoadVerdict.Rejected>(KernelLoader.Verify(program));

        Assert.Equal(LoadStage.KernelVerifier, rejected.Stage);
        Assert.Equal(255, rejected.ExitCode);
        Assert.NotNull(rejected.Verifier);
        Assert.Equal("infinite loop detected at insn 0", rejected.Verifier!.Message);
        Assert.Equal("0: (05) goto pc-1", rejected.Verifier.Instruction);
        Assert.Equal("tracepoint:syscalls:sys_enter_openat", rejected.Verifier.Probe);
        Assert.Equal(program.Source.Text.IndexOf("tracepoint:", StringComparison.Ordinal), rejected.Span!.Value.Start);
    }

    [BpftraceFact]
    public void Ternary_over_two_context_fields_is_rejected_by_the_kernel_verifier()
    {
        var path = Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "kernel-verifier", "ternary_ctx_pointer.bt");

        var rejected = Assert.IsType<LoadVerdict.Rejected>(KernelLoader.Verify(BpftraceParser.Parse(SourceText.FromFile(path))));

        Assert.Equal(LoadStage.KernelVerifier, rejected.Stage);
        Assert.Contains("dereference of modified ctx ptr", rejected.Verifier!.Message, StringComparison.Ordinal);
        Assert.NotNull(rejected.Verifier.Instruction);
    }

    [BpftraceFact]
    public void Slow_verification_beyond_the_timeout_is_a_timeout_and_leaves_nothing_running()
    {
        var path = Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "kernel-verifier", "slow_verification.bt");

        var rejected = Assert.IsType<LoadVerdict.Rejected>(KernelLoader.Verify(BpftraceParser.Parse(SourceText.FromFile(path)),
            new VerifyOptions(Timeout: TimeSpan.FromSeconds(1))));

        Assert.Equal(LoadStage.Timeout, rejected.Stage);
        Assert.Contains("within 1 s", rejected.Message, StringComparison.Ordinal);
    }

    [SetprivFact]
    public void Running_without_privileges_is_a_permission_rejection()
    {
        var options = new VerifyOptions(CommandPrefix: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"]);

        var rejected = Rejected("tracepoint:syscalls:sys_enter_openat { @x = count(); }\n", options);

        Assert.True(rejected.Stage == LoadStage.Permission, $"{rejected.Stage}: {rejected.Message} / {rejected.RawLog}");
        Assert.Contains("root", rejected.Message, StringComparison.Ordinal);
        Assert.NotNull(rejected.Hint);
    }

    [SetprivFact]
    public void Root_without_capabilities_is_a_permission_rejection()
    {
        var options = new VerifyOptions(CommandPrefix: ["/usr/bin/setpriv", "--bounding-set=-all", "--inh-caps=-all"]);

        var rejected = Rejected("tracepoint:syscalls:sys_enter_openat { @x = count(); }\n", options);

        Assert.Equal(LoadStage.Permission, rejected.Stage);
    }

    [Fact]
    public void Missing_bpftrace_is_a_tool_missing_rejection()
    {
        var rejected = Rejected("tracepoint:syscalls:sys_enter_openat { @x = count(); }\n", new VerifyOptions(BpftracePath: "/nonexistent/bpftrace"));

        Assert.Equal(LoadStage.ToolMissing, rejected.Stage);
        Assert.Contains("apt-get install -y bpftrace", rejected.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsafe_call_is_refused_by_policy_unless_allowed()
    {
        var rejected = Rejected("tracepoint:syscalls:sys_enter_openat { system(\"id\"); }\n");

        Assert.Equal(LoadStage.Policy, rejected.Stage);
        Assert.Contains("system()", rejected.Message, StringComparison.Ordinal);
    }

    [BpftraceFact]
    public void Allowing_one_builtin_by_name_does_not_allow_another_and_never_passes_unsafe_for_it()
    {
        // cat is allowed, system is not: the policy still refuses system, wherever it is.
        var rejected = Rejected("tracepoint:syscalls:sys_enter_openat { cat(\"/etc/hostname\"); system(\"id\"); }\n",
            new VerifyOptions(Kgent.Kernel.Safety.SafetyAllowance.Parse(["cat"], out _)));
        Assert.Equal(LoadStage.Policy, rejected.Stage);
        Assert.Contains("system()", rejected.Message, StringComparison.Ordinal);

        // cat needs no --unsafe, so none is passed, and bpftrace loads it.
        var allowed = KernelLoader.Verify(BpftraceParser.Parse("tracepoint:syscalls:sys_enter_openat /pid == 1/ { cat(\"/etc/hostname\"); }\n"),
            new VerifyOptions(Kgent.Kernel.Safety.SafetyAllowance.Parse(["cat"], out _)));
        Assert.True(allowed.IsAccepted, allowed.ToString());
        var arguments = KernelLoader.CommandLine(Bpftrace, "p.bt", new VerifyOptions(Kgent.Kernel.Safety.SafetyAllowance.Parse(["cat"], out _)), [],
            BpftraceParser.Parse("BEGIN { cat(\"/etc/hostname\"); }")).Arguments;
        Assert.DoesNotContain("--unsafe", arguments);
    }

    [BpftraceFact]
    public void A_builtin_allowed_by_name_that_needs_unsafe_gets_it_and_runs()
    {
        var options = new VerifyOptions(Kgent.Kernel.Safety.SafetyAllowance.Parse(["system"], out _));
        var program = BpftraceParser.Parse("tracepoint:syscalls:sys_enter_openat /pid == 1/ { system(\"true\"); }\n");
        Assert.Contains("--unsafe", KernelLoader.CommandLine(Bpftrace, "p.bt", options, [], program).Arguments);
        Assert.DoesNotContain("--unsafe", KernelLoader.CommandLine(Bpftrace, "p.bt", VerifyOptions.Default, [], program).Arguments);

        var verdict = KernelLoader.Verify(program, options);
        Assert.True(verdict.IsAccepted, verdict.ToString());
    }

    [BpftraceFact]
    public void Annotated_program_is_stripped_and_errors_point_at_the_original_lines()
    {
        const string text = "tracepoint:syscalls:sys_enter_openat\n{\n  assume(pid > 0);\n  @opens[comm] = count();\n  assert(1 == 1);\n  $x = nosuchthing;\n}\n";

        var rejected = Rejected(text);

        Assert.Equal(LoadStage.Semantic, rejected.Stage);
        Assert.Equal(text.IndexOf("nosuchthing", StringComparison.Ordinal), rejected.Span!.Value.Start);
    }

    [Fact]
    public void Feedback_names_stage_line_message_and_hint()
    {
        var source = new SourceText("BEGIN { }\ntracepoint:x:y { }\n", "f.bt");
        var rejected = new LoadVerdict.Rejected(LoadStage.KernelVerifier, "the kernel verifier rejected tracepoint:x:y", new TextSpan(10, 14), "bound the loop", "log",
            new VerifierRejection("tracepoint:x:y", "infinite loop detected at insn 0", "0: (05) goto pc-1", 0, "tail"));

        var feedback = LoadDiagnostics.ToFeedback(rejected, source);

        Assert.Equal("Kernel verifier stage (kernel-verifier) at line 2: the kernel verifier rejected tracepoint:x:y. " +
            "Verifier says: infinite loop detected at insn 0 at instruction 0: (05) goto pc-1. Hint: bound the loop.", feedback);
    }
}
