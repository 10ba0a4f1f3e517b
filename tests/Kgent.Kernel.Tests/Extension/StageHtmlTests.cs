using Kgent.Notebook.Charts;
using Kgent.Notebook;
using Kgent.Notebook.Html;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Extension;

/// <summary>The notebook formatters on each kind of result record, and rerunning one stage after a contract edit.</summary>
public sealed class StageHtmlTests
{
    private static SymbolicResult Symbex(string caseStudy) =>
        SymbolicVerifier.Verify(File.ReadAllText(SymbolicCases.CaseStudy(caseStudy)), caseStudy, Catalogs.Snapshot, SymbolicCases.Options);

    [Fact]
    public void Verified_symbolic_result_has_a_badge_and_the_assertion_table()
    {
        var html = StageHtml.Symbolic(Symbex("tcp_connect.annotated.bt"));

        Assert.Contains("class='kg kgent-symbex'", html, StringComparison.Ordinal);
        Assert.Contains("kg-badge kg-ok'>verified<", html, StringComparison.Ordinal);
        Assert.Contains("class='kg-assertions'", html, StringComparison.Ordinal);
        Assert.Contains("<span class='kg-annotation'>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("kg-counterexample", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Counterexample_shows_the_failing_line_the_values_and_the_contract()
    {
        var result = Symbex("tcp_connect_raw_port.annotated.bt");
        var html = StageHtml.Symbolic(result);

        Assert.Contains("kg-badge kg-bad'>counterexample<", html, StringComparison.Ordinal);
        Assert.Contains("class='kg-counterexample'", html, StringComparison.Ordinal);
        Assert.Contains($"data-line='{result.Assertions[0].Position.Line}'><span class='kg-error-line'>", html, StringComparison.Ordinal);
        Assert.Contains("ntohs($sk-&gt;__sk_common.skc_dport)", html, StringComparison.Ordinal);
        Assert.Contains("network byte order", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_verdict_says_why()
    {
        var result = SymbolicVerifier.Verify("tracepoint:syscalls:sys_enter_read { $i = 0; while ($i < args->count) { $i++; } assert($i == args->count); }",
            "loop.bt", Catalogs.Snapshot, SymbolicCases.Options);

        var html = StageHtml.Symbolic(result);

        Assert.Contains("kg-badge kg-warn'>unknown<", html, StringComparison.Ordinal);
        Assert.Contains("not every path was explored", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_rejection_highlights_the_offending_instruction()
    {
        var rejected = new LoadVerdict.Rejected(LoadStage.KernelVerifier, "the kernel verifier rejected tracepoint:x:y: infinite loop detected at insn 0",
            new TextSpan(0, 5), "bound the loop", "raw <log>",
            new VerifierRejection("tracepoint:x:y", "infinite loop detected at insn 0", "0: (05) goto pc-1", 0, "0: (05) goto pc-1\ninfinite loop detected at insn 0"));

        var html = StageHtml.Load(rejected);

        Assert.Contains("class='kg kgent-verify'", html, StringComparison.Ordinal);
        Assert.Contains("rejected: kernel-verifier", html, StringComparison.Ordinal);
        Assert.Contains("<span class='kg-error-line kg-offending'>0: (05) goto pc-1</span>", html, StringComparison.Ordinal);
        Assert.Contains("raw &lt;log&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_output_draws_histograms_and_sorted_keyed_counts()
    {
        var run = new RunResult(new LoadVerdict.Accepted(["tracepoint:x:y"], TimeSpan.FromMilliseconds(200), []), StopReason.Duration, TimeSpan.FromSeconds(1),
            ["hello\n"],
            [
                new MapOutput("@h", "hist", new MapData.Histogram([new HistogramBucket(0, 0, 1), new HistogramBucket(1, 1, 4), new HistogramBucket(100, null, 2)])),
                new MapOutput("@by", "map", new MapData.Keyed([new KeyedEntry("sh", ["sh"], new MapData.Scalar(2)), new KeyedEntry("bash", ["bash"], new MapData.Scalar(9))])),
            ],
            [], [], false, null, 0);

        var html = StageHtml.Run(run);

        Assert.Contains("class='kg kgent-run'", html, StringComparison.Ordinal);
        Assert.Contains("<svg class='kg-hist'", html, StringComparison.Ordinal);
        Assert.Contains("[100, …]", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf(">bash<", StringComparison.Ordinal) < html.IndexOf(">sh<", StringComparison.Ordinal), "keyed counts are sorted by value");
        Assert.Contains("<pre class='kg-printf'>hello", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Maps_are_plotly_bar_charts_drawn_over_their_static_svg_with_plotly_js_inlined_once()
    {
        Assert.Null(PlotlyCharts.Unavailable);
        var histogram = new MapOutput("@h", "hist", new MapData.Histogram([new HistogramBucket(0, 0, 1), new HistogramBucket(1, 1, 4), new HistogramBucket(2, 3, 2)]));
        var keyed = new MapOutput("@by", "map", new MapData.Keyed([new KeyedEntry("sh", ["sh"], new MapData.Scalar(2)), new KeyedEntry("bash", ["bash"], new MapData.Scalar(9))]));
        RunResult Run(MapOutput map) =>
            new(new LoadVerdict.Accepted(["tracepoint:x:y"], TimeSpan.FromMilliseconds(200), []), StopReason.Duration, TimeSpan.FromSeconds(1), [], [map], [], [], false, null, 0);

        var first = StageHtml.Run(Run(histogram));
        var second = StageHtml.Run(Run(keyed));

        foreach (var html in new[] { first, second })
        {
            Assert.Contains("class='kg-plotly'", html, StringComparison.Ordinal);
            Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
            Assert.Contains("<svg class=", html, StringComparison.Ordinal); // the fallback inside the chart's element
        }

        // Histogram buckets are vertical columns in bucket order; keyed counts horizontal bars, largest on top (last).
        Assert.Matches(@"""type"":""bar"",""x"":\[""\[0, 0\]"",""\[1, 1\]"",""\[2, 3\]""\],""y"":\[1\.0,4\.0,2\.0\]", first);
        Assert.Matches(@"""type"":""bar"",""x"":\[2\.0,9\.0\],""y"":\[""sh"",""bash""\],""orientation"":""h""", second);
        // plotly.js (3.6 MB, from Plotly.NET) goes out once per process, so later charts stay small.
        var bundles = new[] { first, second }.Count(h => h.Contains("window.kgentDefine=window.define", StringComparison.Ordinal));
        Assert.True(bundles <= 1, "plotly.js was inlined twice");
        Assert.True(second.Length < 100_000 || first.Length < 100_000);
    }

    [Fact]
    public void Annotated_program_names_the_contract_clause_behind_each_annotation()
    {
        var session = new KgentSession(Catalogs.Snapshot, SymbolicCases.Contracts, store: null);

        var annotated = Assert.IsType<AnnotatedProgram>(session.Annotate(File.ReadAllText(SymbolicCases.CaseStudy("inet_sock_set_state_raw_port.bt"))));
        var html = StageHtml.Annotated(annotated);

        var lines = annotated.Text.Split('\n');
        Assert.NotEmpty(annotated.Sources);
        Assert.All(annotated.Sources, s => Assert.Matches(@"^\s*(assume|assert)\(", lines[s.Line - 1]));
        Assert.Contains(annotated.Sources, s => s.Contract == "tracepoint sock:inet_sock_set_state" && s.Clause == "precondition args->skaddr != 0");
        var assertion = Assert.Single(annotated.Sources, s => lines[s.Line - 1].TrimStart().StartsWith("assert(", StringComparison.Ordinal));
        Assert.Contains("network byte order", assertion.Clause, StringComparison.Ordinal);
        Assert.Contains("class='kg-provenance'>  ← tracepoint sock:inet_sock_set_state: precondition args-&gt;skaddr != 0<", html, StringComparison.Ordinal);
        Assert.Contains("from the contracts of tracepoint sock:inet_sock_set_state", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluation_report_shows_the_table_the_papers_figures_and_every_run()
    {
        var suite = Kgent.Kernel.Evaluation.EvalSuiteLoader.Prompts("p.txt", "a\nb\n") with { Source = "datasets/eval" };
        var oracle = new Kgent.Kernel.Evaluation.Oracle(["tracepoint:x:y"], "true", TimeSpan.FromSeconds(1), [new Kgent.Kernel.Evaluation.OracleCheck.Lines(1)]);
        suite = suite with { Cases = [.. suite.Cases.Select(c => c with { Oracle = oracle })] };
        Kgent.Kernel.Evaluation.EvalRun Run(string configuration, string id, Kgent.Kernel.Evaluation.EvalOutcome outcome) =>
            new(configuration, id, 1, outcome, "returned", 1, [], outcome == Kgent.Kernel.Evaluation.EvalOutcome.FalsePositive ? ["at least 1 printf line(s) failed"] : [],
                "x", System.Collections.Immutable.ImmutableDictionary<string, double>.Empty, 10, "m");
        var runs = new[]
        {
            Run("few-shot", "prompt-001", Kgent.Kernel.Evaluation.EvalOutcome.Correct), Run("few-shot", "prompt-002", Kgent.Kernel.Evaluation.EvalOutcome.FalsePositive),
            Run("kgent", "prompt-001", Kgent.Kernel.Evaluation.EvalOutcome.Correct), Run("kgent", "prompt-002", Kgent.Kernel.Evaluation.EvalOutcome.Correct),
        };
        var summary = Kgent.Kernel.Evaluation.EvalSummary.Of(suite, "m", 1, ["few-shot", "kgent"], runs);

        var html = StageHtml.Eval(new EvalReport(summary, [.. runs], "/tmp/x"));

        Assert.Contains("class='kg kgent-eval'", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>few-shot</td><td>2</td><td>50% (1)</td><td>50% (1)</td><td>0% (0)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>100% (2)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>30%</td>", html, StringComparison.Ordinal); // the paper's few-shot figure, in its own column
        Assert.Contains("at least 1 printf line(s) failed", html, StringComparison.Ordinal);
        Assert.Contains("class='kg-plotly'", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Program_highlighting_escapes_and_classifies()
    {
        var html = HtmlText.Program("tracepoint:syscalls:sys_enter_openat\n{\n  @opens[comm] = count(); // <x>\n  assert(pid > 0);\n}\n");

        Assert.Contains("<span class='kg-probe'>tracepoint:syscalls:sys_enter_openat</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class='kg-map'>@opens</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class='kg-builtin'>comm</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class='kg-comment'>// &lt;x&gt;</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class='kg-annotation'>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_contract_and_rerunning_only_symbex_flips_the_verdict()
    {
        var session = new KgentSession(Catalogs.Snapshot, SymbolicCases.Contracts, store: null);
        session.Check(File.ReadAllText(SymbolicCases.CaseStudy("inet_sock_set_state.bt")));
        Assert.Equal(VerdictKind.Verified, Assert.IsType<SymbolicResult>(session.Symbex(File.ReadAllText(SymbolicCases.CaseStudy("inet_sock_set_state.annotated.bt")))).Overall);
        var original = session.Contract("sock:inet_sock_set_state");

        // Drop the clause that ties args->dport to the socket's port: the same assertion can no longer be proved.
        session.Contract("sock:inet_sock_set_state", "- tracepoint: sock:inet_sock_set_state\n  summary: weakened for the test\n  pre:\n    - args->skaddr != 0\n");
        var weakened = Assert.IsType<SymbolicResult>(session.Symbex(File.ReadAllText(SymbolicCases.CaseStudy("inet_sock_set_state.annotated.bt"))));
        Assert.Equal(VerdictKind.Counterexample, weakened.Overall);

        // Restore it: the verdict flips back.
        var restore = "- tracepoint: sock:inet_sock_set_state\n  summary: restored\n  pre:\n" + string.Concat(original.Pre.Select(p => $"    - \"{p.Text.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n"));
        session.Contract("sock:inet_sock_set_state", restore);
        Assert.Equal(VerdictKind.Verified, Assert.IsType<SymbolicResult>(session.Symbex(File.ReadAllText(SymbolicCases.CaseStudy("inet_sock_set_state.annotated.bt")))).Overall);
    }
}
