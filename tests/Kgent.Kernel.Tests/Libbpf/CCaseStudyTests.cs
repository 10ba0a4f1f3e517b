using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Run;
using Kgent.Kernel.Libbpf.Symbolic;
using Kgent.Kernel.Libbpf.Verify;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>The paper's case study in libbpf C (datasets/symbolic/case-study/*.bpf.c): TCP connection attempts from
/// sock:inet_sock_set_state. The variant that prints the socket's raw, network-order port is refuted on its assert's
/// line; the corrected one is verified, loaded by this kernel and run, printing the port this test connected to.</summary>
[Collection(KernelCollection.Name)]
public sealed class CCaseStudyTests : IDisposable
{
    private const string Correct = "inet_sock_set_state.annotated.bpf.c";
    private const string Wrong = "inet_sock_set_state_raw_port.annotated.bpf.c";

    private readonly string directory = Directory.CreateTempSubdirectory("kgent-c-case-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static SourceText Load(string name) => SourceText.FromFile(SymbolicCases.CaseStudy(name));

    private static int AssertLine(SourceText source) =>
        Enumerable.Range(1, source.LineCount).Single(l => source.GetLineText(l).TrimStart().StartsWith("assert(", StringComparison.Ordinal));

    [ClangFact]
    public void The_raw_port_variant_is_refuted_on_its_assert_line_with_a_concrete_counterexample()
    {
        var source = Load(Wrong);

        var result = CSymbolicVerifier.Verify(source, Catalogs.Live, SymbolicCases.Options);

        Assert.True(result.WasChecked, string.Join("; ", result.Problems.Select(p => p.Message)));
        Assert.False(result.IsVerified);
        var assertion = Assert.Single(result.Result!.Assertions);
        var counterexample = Assert.IsType<SymbolicVerdict.Counterexample>(assertion.Verdict);
        Assert.Equal(AssertLine(source), assertion.Position.Line);
        Assert.Equal(5, assertion.Position.Column);
        // Shown as the C program wrote it, and the span is on the C line.
        Assert.Equal("dport == bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport))", assertion.Text);
        Assert.StartsWith("assert(dport", source.ToString(assertion.Span), StringComparison.Ordinal);
        // The values are consistent: the printed port differs from ntohs of the socket's raw port.
        var printed = counterexample.Variables.Single(v => v.Name == "$dport");
        var converted = counterexample.Terms.Single(t => t.Name.StartsWith("ntohs(", StringComparison.Ordinal));
        var raw = (ushort)printed.Bits!.Value;
        Assert.Equal((ulong)(ushort)((raw << 8) | (raw >> 8)), converted.Bits);
        Assert.NotEqual(printed.Bits, converted.Bits);
    }

    [ClangFact]
    public void The_corrected_program_is_verified_and_the_proof_rests_on_the_contract()
    {
        var source = Load(Correct);

        var verified = CSymbolicVerifier.Verify(source, Catalogs.Live, SymbolicCases.Options);
        var withoutContracts = CSymbolicVerifier.Verify(source, Catalogs.Live, new SymbolicOptions());

        Assert.True(verified.IsVerified, string.Join("; ", verified.Problems.Select(p => p.Message)));
        var assertion = Assert.Single(verified.Result!.Assertions);
        Assert.Equal(AssertLine(source), assertion.Position.Line);
        Assert.Contains("tracepoint sock:inet_sock_set_state", verified.Result.ContractsUsed);
        // Without the tracepoint's contract nothing links ctx->dport to the socket's port: not vacuous.
        Assert.IsType<SymbolicVerdict.Counterexample>(Assert.Single(withoutContracts.Result!.Assertions).Verdict);
    }

    [LibbpfFact]
    public void The_corrected_program_loads_and_prints_the_port_this_test_connected_to_in_host_order()
    {
        // A copy of bash under a name of this test's own connects to a loopback port nothing listens on: the socket still
        // goes to SYN_SENT, which is what the program reports.
        var command = "kg" + Guid.NewGuid().ToString("N")[..10];
        var shell = Path.Combine(directory, command);
        File.Copy("/bin/bash", shell);
        File.SetUnixFileMode(shell, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var port = Random.Shared.Next(20000, 60000);
        var source = Load(Correct);
        using var build = ClangCompiler.Compile(source);
        Assert.True(build.Succeeded, build.Problem + string.Join('\n', build.Diagnostics.Select(d => d.Message)));

        var load = CKernelLoader.Verify(build, new CVerifyOptions(Catalog: Catalogs.Live));
        var result = CProgramRunner.Run(build, new RunOptions(TimeSpan.FromSeconds(20),
            Workload: $"for i in 1 2 3; do {shell} -c 'exec 3<>/dev/tcp/127.0.0.1/{port}' 2>/dev/null; sleep 0.2; done"));

        Assert.IsType<LoadVerdict.Accepted>(load);
        Assert.IsType<LoadVerdict.Accepted>(result.Load);
        var line = result.Printf.FirstOrDefault(l => l.Contains($"comm={command} ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no event of {command} in: {string.Join(" | ", result.Printf.Take(20))} {string.Join(" | ", result.Messages)} {result.Workload?.Output}");
        Assert.Matches($@"^comm={command} pid=\d+ sport=\d+ dport={port}$", line);
    }
}
