using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Lowering;
using Kgent.Kernel.Libbpf.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>C programs read through clang's syntax tree as the bpftrace program that does the same, line for line; what
/// is not modelled is said on its line and nothing is proved; the intent check decides a C program's obligations on
/// its lowering.</summary>
public sealed class CLoweringTests
{
    private const string Header = "#include \"vmlinux.h\"\n#include <bpf/bpf_helpers.h>\n";

    private static LoweredC Lower(string text)
    {
        using var build = ClangCompiler.Compile(new SourceText(text, "lowering.bpf.c"));
        Assert.True(build.Succeeded, build.Problem + string.Join('\n', build.Diagnostics.Select(d => d.Message)));
        return CLowering.Lower(build, Catalogs.Live);
    }

    private static string[] Lines(string text) => text.Split('\n');

    [ClangFact]
    public void Each_statement_is_lowered_onto_its_own_c_line_and_column()
    {
        var source = SourceText.FromFile(SymbolicCases.CaseStudy("inet_sock_set_state.annotated.bpf.c"));
        using var build = ClangCompiler.Compile(source);

        var lowered = CLowering.Lower(build, Catalogs.Live);

        Assert.True(lowered.IsComplete, string.Join("; ", lowered.Problems.Select(p => p.Message)));
        var lines = Lines(lowered.Text);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() is { Length: > 0 } written && written != "}")
            {
                Assert.False(string.IsNullOrWhiteSpace(source.GetLineText(i + 1)), $"line {i + 1} of the lowering has '{written}' but the C line is empty");
            }
        }

        var assertLine = Enumerable.Range(1, source.LineCount).Single(l => source.GetLineText(l).TrimStart().StartsWith("assert(", StringComparison.Ordinal));
        Assert.StartsWith("    assert(", lines[assertLine - 1], StringComparison.Ordinal);
        Assert.Matches(@"\$dport == \(*ntohs\(", lines[assertLine - 1]);
        Assert.Contains("tracepoint:sock:inet_sock_set_state {", lowered.Text, StringComparison.Ordinal);
        Assert.Contains("if ((args->newstate != TCP_SYN_SENT)) {", lowered.Text, StringComparison.Ordinal);
        Assert.Contains("printf(\"comm=%s pid=%d sport=%d dport=%d\\n\", comm, pid, args->sport, $dport);", lowered.Text, StringComparison.Ordinal);
    }

    [ClangFact]
    public void System_call_arguments_strings_task_helpers_and_printk_are_lowered()
    {
        var lowered = Lower(Header + """
            SEC("tp/syscalls/sys_enter_openat")
            int on_open(struct trace_event_raw_sys_enter *ctx)
            {
                u32 pid = bpf_get_current_pid_tgid() >> 32;
                if (pid == 1)
                    return 0;
                char name[64];
                bpf_probe_read_user_str(&name, sizeof(name), (const char *)ctx->args[1]);
                bpf_printk("%d %s", pid, name);
                return 0;
            }

            char LICENSE[] SEC("license") = "GPL";
            """);

        Assert.True(lowered.IsComplete, string.Join("; ", lowered.Problems.Select(p => p.Message)));
        var lines = Lines(lowered.Text);
        Assert.True(lines.Length > 10, lowered.Text);
        Assert.Equal("tracepoint:syscalls:sys_enter_openat {", lines[2]);
        Assert.Equal("    $pid = pid;", lines[5]);
        Assert.Equal("    if (($pid == 1)) {", lines[6]);
        Assert.Equal("    printf(\"%d %s\\n\", $pid, str(args->filename));", lines[10]);
    }

    [ClangFact]
    public void The_lookup_then_update_idiom_is_a_count_keyed_by_the_struct_fields()
    {
        var lowered = Lower(Header + """
            struct open_key { char comm[16]; };
            struct {
                __uint(type, BPF_MAP_TYPE_HASH);
                __uint(max_entries, 1024);
                __type(key, struct open_key);
                __type(value, u64);
            } opens SEC(".maps");

            SEC("tp/syscalls/sys_enter_openat")
            int on_open(struct trace_event_raw_sys_enter *ctx)
            {
                struct open_key key = {};
                bpf_get_current_comm(&key.comm, sizeof(key.comm));
                u64 one = 1, *count = bpf_map_lookup_elem(&opens, &key);
                if (count)
                    __sync_fetch_and_add(count, one);
                else
                    bpf_map_update_elem(&opens, &key, &one, BPF_NOEXIST);
                return 0;
            }

            char LICENSE[] SEC("license") = "GPL";
            """);

        Assert.True(lowered.IsComplete, string.Join("; ", lowered.Problems.Select(p => p.Message)));
        // On the line of the if that holds the idiom.
        Assert.Equal(16, Array.IndexOf(Lines(lowered.Text), "    @opens[comm] = count();"));
    }

    [ClangTheory]
    [InlineData("    for (int i = 0; i < 4; i++)\n        bpf_printk(\"%d\", i);\n", 7, "a loop")]
    [InlineData("    bpf_send_signal(9);\n", 7, "the call to bpf_send_signal")]
    [InlineData("    u32 k = 0;\n    u64 *v = bpf_map_lookup_elem(&m, &k);\n    if (v)\n        *v += 1;\n", 9, "map value pointer")]
    [InlineData("    struct { u32 a; } r = {};\n    if (bpf_get_smp_processor_id() == 0)\n        r.a = 1;\n    bpf_ringbuf_output(&m, &r, sizeof(r), 0);\n", 9, "set under a condition")]
    [InlineData("    return helper();\n", 7, "the value of a call to helper")]
    public void A_construct_that_is_not_modelled_is_said_on_its_line_and_nothing_is_lowered(string body, int line, string construct)
    {
        var text = Header + "struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); } m SEC(\".maps\"); static int helper(void) { return 0; }\n"
            + "SEC(\"tp/sched/sched_process_exec\")\nint on_exec(void *ctx)\n{\n" + body + "    return 0;\n}\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n";
        var source = new SourceText(text, "lowering.bpf.c");

        var lowered = Lower(text);

        var problem = Assert.Single(lowered.Problems);
        Assert.Equal("KG8013", problem.Code);
        Assert.Equal(line, source.GetLinePosition(problem.Span.Start).Line);
        Assert.Contains(construct, problem.Message, StringComparison.Ordinal);
        Assert.Contains("not checked symbolically", problem.Message, StringComparison.Ordinal);
        Assert.Empty(lowered.Text);
    }

    [ClangFact]
    public void The_symbolic_verifier_says_not_checked_for_a_program_it_cannot_lower()
    {
        var source = new SourceText(Header + "SEC(\"tp/sched/sched_process_exec\")\nint on_exec(void *ctx)\n{\n    for (int i = 0; i < 4; i++)\n        assert(i < 4);\n    return 0;\n}\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n",
            "loop.bpf.c");

        var result = CSymbolicVerifier.Verify(source, Catalogs.Live, SymbolicCases.Options);

        Assert.False(result.IsVerified);
        Assert.False(result.WasChecked);
        Assert.Null(result.Result);
        Assert.Equal("KG8013", Assert.Single(result.Problems).Code);
    }

    [ClangTheory]
    [InlineData("inet_sock_set_state.annotated.bpf.c", IntentVerdict.Verified)]
    [InlineData("inet_sock_set_state_raw_port.annotated.bpf.c", IntentVerdict.Refuted)]
    public void The_intent_check_decides_a_c_programs_obligations_on_its_lines(string name, IntentVerdict expected)
    {
        // The case study without its assert: the contracts' byte-order assertion is the intent check's own.
        var text = string.Join('\n', File.ReadAllLines(SymbolicCases.CaseStudy(name)).Where(l => !l.TrimStart().StartsWith("assert(", StringComparison.Ordinal)));
        var source = new SourceText(text, name);
        var catalog = Catalogs.Live;
        var spec = OfflineIntentReader.Read("Trace TCP connection attempts with the process name and the destination port", catalog);
        var (lowered, problems) = CSymbolicVerifier.Lower(source, catalog);
        Assert.True(lowered is not null, string.Join("; ", problems.Select(p => p.Message)));

        var (report, problem) = CSymbolicVerifier.CheckIntent(spec, lowered!, catalog, SymbolicCases.Contracts);

        Assert.True(report is not null, problem);
        Assert.Equal(expected, report!.Verdict);
        if (expected == IntentVerdict.Refuted)
        {
            // Refuted where the raw port is read: the line of BPF_CORE_READ(sk, __sk_common.skc_dport).
            var rawLine = Enumerable.Range(1, source.LineCount).Single(l => source.GetLineText(l).Contains("dport = BPF_CORE_READ", StringComparison.Ordinal));
            Assert.Contains(report.Refuted, r => r.Line == rawLine && r.Obligation.Kind == ObligationKind.Assertion);
            Assert.DoesNotContain(report.Refuted, r => r.Obligation.Kind is ObligationKind.Filter or ObligationKind.Hook);
        }
    }
}

/// <summary>The 40 evaluation cases' C references (each passes its oracle on this kernel) checked against their own
/// requests through the lowering: none is refuted (a refutation would be the lowering's mistake), and each is either
/// verified or said to be not checked, on a line.</summary>
[Collection(KernelCollection.Name)]
public sealed class CReferenceIntentTests
{
    private static readonly Lazy<Dictionary<string, Kgent.Kernel.Evaluation.EvalCase>> Cases =
        new(() => Kgent.Kernel.Evaluation.EvalSuiteLoader.Load(Evaluation.EvalSuiteTests.SuiteDirectory).Cases.ToDictionary(c => c.Id));

    [ClangFact]
    public void Every_reference_is_verified_or_not_checked_never_refuted()
    {
        var outcomes = new List<string>();
        foreach (var evalCase in Cases.Value.Values.Where(c => c.ReferenceC is not null).OrderBy(c => c.Id))
        {
            var source = new SourceText(evalCase.ReferenceC!, evalCase.ReferenceCPath ?? $"{evalCase.Id}.bpf.c");
            var (lowered, problems) = CSymbolicVerifier.Lower(source, Catalogs.Live);
            if (lowered is null)
            {
                var problem = Assert.Single(problems);
                Assert.Equal("KG8013", problem.Code);
                outcomes.Add($"{evalCase.Id}: not checked");
                continue;
            }

            var spec = OfflineIntentReader.Read(evalCase.Request, Catalogs.Live);
            var (report, why) = CSymbolicVerifier.CheckIntent(spec, lowered, Catalogs.Live, SymbolicCases.Contracts);
            Assert.True(report is not null, $"{evalCase.Id}: {why}");
            Assert.True(report!.Verdict != IntentVerdict.Refuted,
                $"{evalCase.Id} passes its oracle but is refuted: {string.Join("; ", report.Refuted.Select(r => $"line {r.Line}: {r.Message}"))}\n{lowered.Text}");
            outcomes.Add($"{evalCase.Id}: {report.VerdictText}");
        }

        Assert.Equal(40, outcomes.Count);
        // What the lowering covers today (README, "libbpf C programs"): 18 of the 40 are verified.
        Assert.True(outcomes.Count(o => o.EndsWith(": verified", StringComparison.Ordinal)) >= 18, string.Join("\n", outcomes));
    }
}
