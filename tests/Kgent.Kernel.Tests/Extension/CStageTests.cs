using Kgent.Kernel.Agent;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Check;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Tests.Libbpf;
using Kgent.Kernel.Tests.Support;
using Kgent.Notebook;
using Kgent.Notebook.Html;

namespace Kgent.Kernel.Tests.Extension;

/// <summary><c>#!kgent</c> cells with libbpf C: check, verify and run take a C program in the cell body (or the session's
/// current one), and <c>#!kgent synth --lang c</c> writes one; the program is shown C-highlighted.</summary>
[Collection(KernelCollection.Name)]
public sealed class CStageTests
{
    private static KgentCells Cells(out KgentSession session)
    {
        var created = new KgentSession(Catalogs.Live, SymbolicCases.Contracts, store: null);
        session = created;
        return new KgentCells(() => created);
    }

    private static Task<object?> Cell(KgentCells cells, string line, string body = "") => cells.RunStageAsync(KgentDirectiveLine.Parse(line), body);

    [ClangFact]
    public async Task Check_of_a_c_cell_compiles_it_and_shows_it_highlighted_as_c()
    {
        var cells = Cells(out _);

        var result = Assert.IsType<ProgramResult>(await Cell(cells, "#!kgent check", CFixtures.Load("rejected", "wrong-tracepoint-struct.bpf.c").Text));

        var check = Assert.IsType<CCheckResult>(result.Result);
        Assert.Equal("KG8006", Assert.Single(check.Errors).Code);
        var html = ResultViews.Html(result);
        Assert.Contains("kg-lang-c", html, StringComparison.Ordinal);
        Assert.Contains("<span class='kg-probe'>SEC</span>", html, StringComparison.Ordinal);
        Assert.Contains("KG8006", html, StringComparison.Ordinal);
    }

    [ClangFact]
    public async Task Symbex_of_a_c_cell_refutes_the_raw_port_on_its_line_and_verifies_the_corrected_one()
    {
        var cells = Cells(out _);
        var raw = File.ReadAllText(SymbolicCases.CaseStudy("inet_sock_set_state_raw_port.annotated.bpf.c"));
        var corrected = File.ReadAllText(SymbolicCases.CaseStudy("inet_sock_set_state.annotated.bpf.c"));
        var line = raw.Split('\n').ToList().FindIndex(l => l.TrimStart().StartsWith("assert(", StringComparison.Ordinal)) + 1;

        var refuted = Assert.IsType<ProgramResult>(await Cell(cells, "#!kgent symbex", raw));
        var verified = Assert.IsType<ProgramResult>(await Cell(cells, "#!kgent symbex", corrected));
        var notModelled = Assert.IsType<ProgramResult>(await Cell(cells, "#!kgent symbex", CFixtures.Load("rejected", "lookup-not-null-checked.bpf.c").Text));

        var counterexample = Assert.Single(Assert.IsType<Kgent.Kernel.Symbolic.SymbolicResult>(refuted.Result).Assertions);
        Assert.IsType<Kgent.Kernel.Symbolic.SymbolicVerdict.Counterexample>(counterexample.Verdict);
        Assert.Equal(line, counterexample.Position.Line);
        // The failing line is shown as the C program wrote it.
        Assert.True(ResultViews.Html(refuted).Contains("BPF_CORE_READ", StringComparison.Ordinal), ResultViews.Html(refuted));
        Assert.True(Assert.IsType<Kgent.Kernel.Symbolic.SymbolicResult>(verified.Result).IsVerified);
        Assert.Equal("KG8013", Assert.Single(Assert.IsType<CCheckResult>(notModelled.Result).Diagnostics).Code);
        // Annotating writes bpftrace; for C it says what to do instead of showing bpftrace parse errors.
        var annotate = await Assert.ThrowsAsync<KgentCellException>(() => Cell(cells, "#!kgent annotate", corrected));
        Assert.Contains("write assume(...); and assert(...);", annotate.Message, StringComparison.Ordinal);
    }

    [LibbpfFact]
    public async Task Verify_and_run_take_the_c_program_and_run_shows_its_maps()
    {
        var cells = Cells(out _);
        var program = CFixtures.Renamed("opens-by-comm.bpf.c", out _).Text;

        var verified = Assert.IsType<ProgramResult>(await Cell(cells, "#!kgent verify", program));
        var ran = Assert.IsType<ProgramResult>(await Cell(cells, "#!kgent run --duration 5s --workload \"cat /etc/hostname > /dev/null\""));

        Assert.IsType<LoadVerdict.Accepted>(verified.Result);
        Assert.Equal(verified.Program.Number, ran.Program.Number);
        var run = Assert.IsType<RunResult>(ran.Result);
        Assert.NotNull(run.Map("opens"));
        Assert.Contains("opens", ResultViews.Html(ran), StringComparison.Ordinal);
    }

    [LibbpfFact]
    public async Task Synth_lang_c_writes_c_and_makes_it_the_current_program()
    {
        var cells = Cells(out var session);

        var result = Assert.IsType<ProgramResult>(await Cell(cells, "#!kgent synth --lang c", "Count file opens per process name."));

        var synthesis = Assert.IsType<SynthesisResult.Succeeded>(result.Result);
        Assert.Contains("SEC(\"tp/syscalls/sys_enter_openat\")", synthesis.Program, StringComparison.Ordinal);
        Assert.Equal(synthesis.Program, session.Program!.Text);
        // Checked against the request through its lowering to bpftrace: the offline model's count is verified.
        Assert.True(synthesis.IsVerified, synthesis.Verdict);
        Assert.DoesNotContain("not verified", ResultViews.Text(result), StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<KgentCellException>(() => Cell(cells, "#!kgent synth --lang rust", "Count file opens."));
        Assert.Contains("the languages are bpftrace and c", error.Message, StringComparison.Ordinal);
    }
}
