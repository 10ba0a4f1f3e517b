using Kgent.Notebook;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Extension;

/// <summary>The <c>#!kgent</c> dispatch without a notebook host: the stage table, the program names, the cell's own line
/// numbers. <see cref="NotebookRulesTests"/> holds the same rules in the real Jupyter kernel.</summary>
public sealed class CellDispatchTests
{
    private const string Opens = "tracepoint:syscalls:sys_enter_openat { @opens = count(); }";
    private const string Closes = "tracepoint:syscalls:sys_enter_close { @closes = count(); }";

    private static KgentCells Kernel(out KgentSession session)
    {
        var created = new KgentSession(Catalogs.Snapshot, SymbolicCases.Contracts, store: null);
        session = created;
        return new KgentCells(() => created);
    }

    [Theory]
    [InlineData("#!kgent", "name a stage after #!kgent")]
    [InlineData("#!kgent chekc", "did you mean 'check'")]
    [InlineData("#!kgent check --duration 3s", "#!kgent check has no option '--duration' (it belongs to run); its options: none")]
    [InlineData("#!kgent run --duraton 3s", "did you mean '--duration'?; its options: --duration, --workload")]
    [InlineData("#!kgent synth --k 3", "(it belongs to examples); its options: --tries, --lang")]
    public void A_line_without_a_stage_or_with_an_option_the_stage_lacks_is_refused(string line, string message)
    {
        var error = Assert.Throws<KgentCellException>(() => KgentCells.Validate(KgentDirectiveLine.Parse(line)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_option_of_a_stage_has_its_help_and_every_help_an_owner()
    {
        // The directive's parameters are made from OptionHelp, so the host accepts exactly the options the stages take.
        var owned = KgentStage.All.SelectMany(s => s.Options).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(owned, KgentStage.OptionHelp.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_body_line_counts_the_cells_own_lines()
    {
        Assert.Equal(2, KgentDirectiveLine.Split("#!kgent check\nbody")!.Value.BodyLine);
        Assert.Equal(4, KgentDirectiveLine.Split("\n\n#!kgent check\nbody")!.Value.BodyLine);
        Assert.Null(KgentDirectiveLine.Split("#!kgentx check"));
    }

    [Fact]
    public async Task A_program_given_to_verify_or_run_becomes_current_and_every_result_names_its_program()
    {
        var kernel = Kernel(out var session);

        var checkedOpens = Assert.IsType<ProgramResult>(await kernel.RunStageAsync("#!kgent check", Opens));
        Assert.Equal("program 1, written in this cell", checkedOpens.Caption);
        Assert.IsType<CheckResult>(checkedOpens.Result);

        // verify with a body makes it current, whether or not the kernel can load it here (the result names it either way).
        var verified = Assert.IsType<ProgramResult>(await kernel.RunStageAsync("#!kgent verify", Closes));
        Assert.Equal("program 2, written in this cell", verified.Caption);
        Assert.Equal(Closes, session.Last.Candidate);

        var bare = Assert.IsType<ProgramResult>(await kernel.RunStageAsync("#!kgent check", string.Empty));
        Assert.Equal("program 2, the current program (written in a cell)", bare.Caption);
        Assert.Contains("sys_enter_close", Assert.IsType<CheckResult>(bare.Result).Parse.Source.Text, StringComparison.Ordinal);

        // The same program again keeps its number.
        var again = Assert.IsType<ProgramResult>(await kernel.RunStageAsync("#!kgent check", Opens));
        Assert.Equal("program 1, written in this cell", again.Caption);
    }

    [Fact]
    public async Task A_synthesis_names_the_program_it_wrote_and_a_request_without_one_names_none()
    {
        var kernel = Kernel(out _);
        await kernel.RunStageAsync("#!kgent check", Opens);

        // The offline model refuses a request to act on the system: no program, so the result names none (not the old one).
        var refused = await kernel.RunStageAsync("#!kgent candidate", "reboot the machine");
        Assert.IsNotType<ProgramResult>(refused);

        var written = Assert.IsType<ProgramResult>(await kernel.RunStageAsync("#!kgent candidate", "count file opens by process name"));
        Assert.Equal(2, written.Program.Number);
        Assert.StartsWith("program 2, the current program (the offline retrieval model's candidate)", written.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_current_program_drops_the_annotations_of_the_old_one()
    {
        var kernel = Kernel(out var session);
        await kernel.RunStageAsync("#!kgent annotate", Opens);
        Assert.NotNull(session.Last.Annotated);

        await kernel.RunStageAsync("#!kgent check", Closes);
        Assert.Null(session.Last.Annotated);
        var symbex = Assert.IsType<ProgramResult>(await kernel.RunStageAsync("#!kgent symbex", string.Empty));
        Assert.Equal(2, symbex.Program.Number);
    }

    [Fact]
    public async Task A_contract_cells_problem_names_the_cells_line()
    {
        var kernel = Kernel(out _);
        const string body = "- tracepoint: sock:inet_sock_set_state\n  summary: broken\n  pre:\n    - args->skaddr != \n";
        var error = await Assert.ThrowsAsync<KgentCellException>(() =>
            kernel.RunStageAsync(KgentDirectiveLine.Parse("#!kgent contract sock:inet_sock_set_state"), body, bodyLine: 3));

        // The broken precondition is the body's fourth line, so the cell's sixth when the body starts on line 3.
        Assert.Contains("cell:6:", error.Message, StringComparison.Ordinal);
    }
}
