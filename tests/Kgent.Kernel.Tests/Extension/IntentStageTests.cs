using Kgent.Notebook.Html;
using Kgent.Notebook;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Extension;

/// <summary>The notebook's intent stage: <c>#!kgent intent</c> shows the request's specification and keeps it for the
/// session, <c>#!kgent symbex</c> checks the candidate against it, an edited specification (its JSON in the cell) is
/// used on the next symbex, and symbex and annotate refuse a program with errors. Badges are honest: green only for
/// verified.</summary>
public sealed class IntentStageTests
{
    private const string Request = "Show failed openat calls with the process name and the error number.";
    private const string NoFilter = "tracepoint:syscalls:sys_exit_openat { printf(\"%s %d\\n\", comm, args->ret); }\n";

    private static KgentSession Session() => new(Catalogs.Snapshot, SymbolicCases.Contracts, store: null);

    [Fact]
    public async Task Intent_cell_shows_the_specification_and_symbex_checks_the_candidate_against_it()
    {
        var session = Session();

        var spec = await session.IntentAsync(Request);
        var specHtml = StageHtml.Intent(spec);
        Assert.Contains("kgent-intent", specHtml, StringComparison.Ordinal);
        Assert.Contains("<i>failed</i>", specHtml, StringComparison.Ordinal);
        Assert.Contains("&quot;filters&quot;", specHtml, StringComparison.Ordinal);

        var report = Assert.IsType<IntentReport>(session.Symbex(NoFilter));
        Assert.Equal(IntentVerdict.Refuted, report.Verdict);
        var html = StageHtml.IntentCheck(report);
        Assert.Contains("kg-badge kg-bad'>refuted", html, StringComparison.Ordinal);
        Assert.DoesNotContain("kg-ok'>verified", html, StringComparison.Ordinal);
        Assert.Contains("args-&gt;ret &lt; 0", html, StringComparison.Ordinal);
        Assert.Same(report, session.Last.Intent);
    }

    [Fact]
    public async Task An_edited_specification_is_used_when_only_symbex_is_rerun()
    {
        var session = Session();
        var spec = await session.IntentAsync(Request);
        Assert.Equal(IntentVerdict.Refuted, Assert.IsType<IntentReport>(session.Symbex(NoFilter)).Verdict);

        // The user removes the failure filter from the JSON the stage showed, and reruns only symbex on the same candidate.
        var edited = System.Text.Json.Nodes.JsonNode.Parse(IntentJson.Write(spec))!;
        edited["filters"] = new System.Text.Json.Nodes.JsonArray();
        var changed = await session.IntentAsync(edited.ToJsonString());
        Assert.Equal("edited", changed.Producer);
        Assert.Equal(Request, changed.Request);

        var rerun = Assert.IsType<IntentReport>(session.Symbex());
        Assert.Equal(IntentVerdict.Verified, rerun.Verdict);
        Assert.Contains("kg-badge kg-ok'>verified", StageHtml.IntentCheck(rerun), StringComparison.Ordinal);

        // Clearing the specification: symbex proves only the program's own assertions again, and says there are none.
        session.ForgetSpec();
        var plain = Assert.IsType<SymbolicResult>(session.Symbex());
        Assert.Equal(VerdictKind.NothingToProve, plain.Overall);
        Assert.Contains("nothing to prove", StageHtml.Symbolic(plain), StringComparison.Ordinal);
        Assert.DoesNotContain("kg-ok'>verified", StageHtml.Symbolic(plain), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_edit_is_a_cell_error_naming_the_member()
    {
        var session = Session();

        var error = await Assert.ThrowsAsync<KgentCellException>(() => session.IntentAsync("{ \"computation\": { \"kind\": \"tally\" } }"));

        Assert.Contains("$.computation", error.Message, StringComparison.Ordinal);
        Assert.Null(session.Last.Spec);
    }

    [Theory]
    [InlineData("tracepoint:syscalls:sys_exit_openat { printf(\"%d\\n\", args->ret) \n")]
    [InlineData("tracepoint:syscalls:sys_exit_openat { printf(\"%d\\n\", args->rett); }\n")]
    public void Symbex_and_annotate_refuse_a_program_with_errors_and_show_them(string program)
    {
        var session = Session();

        var symbex = Assert.IsType<CheckResult>(session.Symbex(program));
        var annotate = Assert.IsType<CheckResult>(session.Annotate(program));

        Assert.True(symbex.HasErrors);
        Assert.True(annotate.HasErrors);
        Assert.Contains("kg-bad", StageHtml.Check(symbex), StringComparison.Ordinal);
        Assert.Null(session.Last.Symbolic);
    }
}
