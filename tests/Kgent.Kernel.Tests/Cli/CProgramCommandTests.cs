using System.Text.Json;
using Kgent.Kernel.Tests.Libbpf;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Cli;

/// <summary><c>kgent check</c>, <c>kgent verify</c>, <c>kgent vmlinux</c> and <c>kgent doctor</c> on libbpf C programs,
/// in-process, against the real toolchain and kernel.</summary>
[Collection(KernelCollection.Name)]
public sealed class CProgramCommandTests
{
    private static string Fixture(string folder, string name) => Path.Combine(CFixtures.Directory, folder, name);

    [ClangFact]
    public void Check_reports_clang_and_catalog_errors_in_compiler_form()
    {
        var (code, output, _) = CliHarness.Run("check", Fixture("rejected", "no-such-member.bpf.c"), Fixture("rejected", "unknown-tracepoint.bpf.c"), Fixture("accepted", "opens-by-comm.bpf.c"));

        Assert.Equal(1, code);
        Assert.Contains("no-such-member.bpf.c:8:17: error KG8001: no member named 'filename' in 'struct trace_event_raw_sys_enter'", output, StringComparison.Ordinal);
        Assert.Contains("unknown-tracepoint.bpf.c:5:6: error KG8004: this kernel has no tracepoint syscalls:sys_enter_opnat", output, StringComparison.Ordinal);
        Assert.Contains("did you mean 'tp/syscalls/sys_enter_openat'?", output, StringComparison.Ordinal);
        Assert.Contains("checked 3 files: 2 errors", output, StringComparison.Ordinal);
    }

    [ClangFact]
    public void Check_refuses_an_unsafe_helper_unless_it_is_allowed_by_name()
    {
        var path = Fixture("rejected", "send-signal.bpf.c");

        var (refused, refusal, _) = CliHarness.Run("check", path);
        var (allowed, clean, _) = CliHarness.Run("check", path, "--allow-unsafe", "bpf_send_signal");

        Assert.Equal(1, refused);
        Assert.Contains("error KG8009: bpf_send_signal sends a signal to the traced process", refusal, StringComparison.Ordinal);
        Assert.Contains("--allow-unsafe bpf_send_signal", refusal, StringComparison.Ordinal);
        Assert.Equal(0, allowed);
        Assert.DoesNotContain("KG8009", clean, StringComparison.Ordinal);
    }

    [LibbpfFact]
    public void Verify_accepts_a_program_and_says_nothing_was_attached()
    {
        var (code, output, _) = CliHarness.Run("verify", Fixture("accepted", "read-bytes-histogram.bpf.c"));

        Assert.Equal(0, code);
        Assert.Matches(@"accepted by the kernel verifier: 1 attach point loaded in \d+ ms, then closed \(tp/syscalls/sys_exit_read\)", output);
    }

    [LibbpfFact]
    public void Verify_json_names_the_stage_the_line_and_the_verifier_message()
    {
        var (code, output, _) = CliHarness.Run("verify", Fixture("rejected", "lookup-not-null-checked.bpf.c"), "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("kernel-verifier", json.RootElement.GetProperty("stage").GetString());
        Assert.Contains("map_value_or_null", json.RootElement.GetProperty("verifierMessage").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Kernel verifier stage (kernel-verifier) at line 17:", json.RootElement.GetProperty("feedback").GetString(), StringComparison.Ordinal);
        Assert.Contains("check the pointer before using it", json.RootElement.GetProperty("feedback").GetString(), StringComparison.Ordinal);
    }

    [KprobelessKernelFact]
    public void Verify_refuses_a_kprobe_section_on_a_kernel_without_kprobes_and_names_a_tracepoint()
    {
        var directory = Directory.CreateTempSubdirectory("kgent-c-kprobe-").FullName;
        try
        {
            var path = Path.Combine(directory, "unlink.bpf.c");
            File.WriteAllText(path, "#include \"vmlinux.h\"\n#include <bpf/bpf_helpers.h>\n\nSEC(\"kprobe/vfs_unlink\")\nint on_unlink(struct pt_regs *ctx)\n{\n    return 0;\n}\n\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n");

            var (code, output, _) = CliHarness.Run("verify", path);

            Assert.Equal(1, code);
            Assert.Contains("unlink.bpf.c:4:6: error KG6005: kprobe vfs_unlink cannot attach on this kernel", output, StringComparison.Ordinal);
            Assert.Contains("tp/syscalls/sys_enter_unlinkat", output, StringComparison.Ordinal);
            Assert.Contains("rejected at the attach stage", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [LibbpfFact]
    public void Synth_lang_c_returns_a_program_verified_against_the_request_through_its_lowering()
    {
        var (code, output, _) = CliHarness.Run("synth", "--lang", "c", "Count file opens per process name.");

        Assert.Equal(0, code);
        Assert.Contains("intent check: 3 obligation(s), 3 proved: verified", output, StringComparison.Ordinal);
        Assert.Contains("verified program (after 1 attempt):", output, StringComparison.Ordinal);
        Assert.Contains("SEC(\"tp/syscalls/sys_enter_openat\")", output, StringComparison.Ordinal);
    }

    [LibbpfFact]
    public void Synth_lang_c_says_not_checked_when_the_program_uses_what_kgent_does_not_model()
    {
        // The offline model writes a histogram through a log2 function of the program's own, which is not modelled.
        var (code, output, _) = CliHarness.Run("synth", "--lang", "c", "Draw a power-of-two histogram of the sizes passed to write().");

        Assert.Equal(1, code);
        Assert.Contains("program, NOT verified (not checked; after 1 attempt)", output, StringComparison.Ordinal);
        Assert.Contains("not checked against the request: line ", output, StringComparison.Ordinal);
        Assert.Contains("log2_slot is not modelled", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Synth_refuses_an_unknown_language()
    {
        var (code, _, error) = CliHarness.Run("synth", "--lang", "rust", "Count file opens per process name.");

        Assert.Equal(2, code);
        Assert.Contains("Argument 'rust' not recognized", error, StringComparison.Ordinal);
        Assert.Contains("'c'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parse", 1)]
    [InlineData("fmt", 2)]
    [InlineData("strip", 1)]
    public void Commands_that_read_only_bpftrace_say_so_for_a_c_file(string command, int exitCode)
    {
        var (code, _, error) = CliHarness.Run(command, Fixture("accepted", "opens-by-comm.bpf.c"));

        Assert.Equal(exitCode, code);
        Assert.Contains($"kgent {command} reads bpftrace programs, and ", error, StringComparison.Ordinal);
        Assert.Contains("is libbpf C: kgent check, verify, run and symbex take C programs", error, StringComparison.Ordinal);
    }

    [ClangFact]
    public void Symbex_refutes_the_c_case_studys_raw_port_on_its_line_and_verifies_the_corrected_one()
    {
        var wrong = SymbolicCases.CaseStudy("inet_sock_set_state_raw_port.annotated.bpf.c");
        var right = SymbolicCases.CaseStudy("inet_sock_set_state.annotated.bpf.c");
        var line = File.ReadAllLines(wrong).ToList().FindIndex(l => l.TrimStart().StartsWith("assert(", StringComparison.Ordinal)) + 1;

        var (refutedCode, refuted, _) = CliHarness.Run("symbex", wrong, "--contracts", SymbolicCases.ContractsDirectory);
        var (verifiedCode, verified, _) = CliHarness.Run("symbex", right, "--contracts", SymbolicCases.ContractsDirectory);

        Assert.Equal(1, refutedCode);
        Assert.Contains($"inet_sock_set_state_raw_port.annotated.bpf.c:{line}:5: error KG4001: assertion can fail", refuted, StringComparison.Ordinal);
        Assert.Contains("assert(dport == bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport)));", refuted, StringComparison.Ordinal);
        Assert.Equal(0, verifiedCode);
        Assert.Contains($"inet_sock_set_state.annotated.bpf.c:{line}:5: verified: assert(dport == bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport)))", verified, StringComparison.Ordinal);
    }

    [ClangFact]
    public void Symbex_says_not_checked_for_a_c_program_with_a_construct_it_does_not_model()
    {
        var (code, _, error) = CliHarness.Run("symbex", Fixture("rejected", "lookup-not-null-checked.bpf.c"));

        Assert.Equal(1, code);
        Assert.Contains(":17:5: warning KG8013: a read through a map value pointer outside the lookup-then-update idiom is not modelled", error, StringComparison.Ordinal);
        Assert.Contains("is not checked symbolically: nothing was proved", error, StringComparison.Ordinal);
    }

    [ClangFact]
    public void Vmlinux_prints_the_cached_header_of_this_kernel()
    {
        var (code, output, _) = CliHarness.Run("vmlinux");

        Assert.Equal(0, code);
        Assert.EndsWith("vmlinux.h", output.Trim(), StringComparison.Ordinal);
        Assert.True(File.Exists(output.Trim()));
    }

    [ClangFact]
    public void Doctor_reports_the_c_toolchain()
    {
        var (_, output, _) = CliHarness.Run("doctor");

        foreach (var row in new[] { "ok   clang (C programs)", "ok   libbpf ", "ok   bpftool ", "ok   vmlinux.h " })
        {
            Assert.Contains(row, output, StringComparison.Ordinal);
        }
    }
}
