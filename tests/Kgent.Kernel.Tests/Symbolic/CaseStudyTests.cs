using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Symbolic;

/// <summary>The paper's case study (datasets/symbolic/case-study): a tcp_connect tracer and its tracepoint equivalent.
/// Printing the raw network-order port is refuted on the assertion's line; the corrected programs are verified.</summary>
public sealed class CaseStudyTests
{
    public static TheoryData<string> Correct => new() { "tcp_connect.annotated.bt", "inet_sock_set_state.annotated.bt" };

    public static TheoryData<string> Wrong => new() { "tcp_connect_raw_port.annotated.bt", "inet_sock_set_state_raw_port.annotated.bt" };

    public static TheoryData<string> All => new()
    {
        "tcp_connect.annotated.bt", "inet_sock_set_state.annotated.bt", "tcp_connect_raw_port.annotated.bt", "inet_sock_set_state_raw_port.annotated.bt",
    };

    [Theory]
    [MemberData(nameof(Correct))]
    public void Corrected_program_is_verified(string name)
    {
        var result = Verify(name);

        var assertion = Assert.Single(result.Assertions);
        Assert.IsType<SymbolicVerdict.Verified>(assertion.Verdict);
        Assert.NotEmpty(result.ContractsUsed);
    }

    [Theory]
    [MemberData(nameof(Wrong))]
    public void Raw_port_program_is_refuted_on_the_assertion_line(string name)
    {
        var text = File.ReadAllText(SymbolicCases.CaseStudy(name));
        var result = Verify(name);

        var assertion = Assert.Single(result.Assertions);
        var counterexample = Assert.IsType<SymbolicVerdict.Counterexample>(assertion.Verdict);
        var expectedLine = text.Split('\n').ToList().FindIndex(l => l.TrimStart().StartsWith("assert(", StringComparison.Ordinal)) + 1;
        Assert.Equal(expectedLine, assertion.Position.Line);

        // The counterexample is concrete and consistent: the printed value differs from ntohs of the raw field.
        var printed = counterexample.Variables.Single(v => v.Name == "$dport");
        var converted = counterexample.Terms.Single(t => t.Name.StartsWith("ntohs(", StringComparison.Ordinal));
        var raw = (ushort)printed.Bits!.Value;
        Assert.Equal((ulong)(ushort)((raw << 8) | (raw >> 8)), converted.Bits);
        Assert.NotEqual(printed.Bits, converted.Bits);
        Assert.Contains("0x", printed.Display, StringComparison.Ordinal);
        Assert.Contains(counterexample.Notes, n => n.Contains("byte order", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_tracepoint_contract_the_corrected_tracepoint_program_cannot_be_proved()
    {
        // The proof rests on the contract linking args->dport to the socket's skc_dport: it is not vacuous.
        var result = SymbolicVerifier.Verify(File.ReadAllText(SymbolicCases.CaseStudy("inet_sock_set_state.annotated.bt")), "x.bt",
            Catalogs.Snapshot, new SymbolicOptions());

        Assert.IsType<SymbolicVerdict.Counterexample>(Assert.Single(result.Assertions).Verdict);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Stripping_the_annotated_program_gives_exactly_the_unannotated_program(string name)
    {
        var annotated = BpftraceParser.Parse(SourceText.FromFile(SymbolicCases.CaseStudy(name)));
        var plain = File.ReadAllText(SymbolicCases.CaseStudy(name.Replace(".annotated", string.Empty, StringComparison.Ordinal)));

        Assert.True(AnnotationStripper.CountAnnotations(annotated.Program) > 0);
        Assert.Equal(plain, AnnotationStripper.StripText(annotated));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Case_study_programs_pass_the_checker_apart_from_kprobe_availability(string name)
    {
        var path = SymbolicCases.CaseStudy(name.Replace(".annotated", string.Empty, StringComparison.Ordinal));
        var result = SemanticChecker.Check(File.ReadAllText(path), path, Catalogs.Snapshot);

        Assert.DoesNotContain(result.Errors, d => d.Descriptor != SemanticDiagnostics.ProbeTypeUnavailable);
    }

    private static SymbolicResult Verify(string name) =>
        SymbolicVerifier.Verify(File.ReadAllText(SymbolicCases.CaseStudy(name)), name, Catalogs.Snapshot, SymbolicCases.Options);
}
