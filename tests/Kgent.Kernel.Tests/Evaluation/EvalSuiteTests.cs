using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Evaluation;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Evaluation;

public sealed class EvalSuiteTests
{
    public static string SuiteDirectory => Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "eval");

    private static readonly Lazy<EvalSuite> Suite = new(() => EvalSuiteLoader.Load(SuiteDirectory));

    [Fact]
    public void The_suite_has_at_least_forty_cases_over_every_category()
    {
        var suite = Suite.Value;

        Assert.True(suite.Cases.Length >= 40, $"{suite.Cases.Length} cases");
        Assert.Equal(["block", "files", "memory", "networking", "processes", "scheduling", "syscalls"], suite.Cases.Select(c => c.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.All(suite.Cases, c =>
        {
            Assert.NotNull(c.Oracle);
            Assert.False(string.IsNullOrWhiteSpace(c.Hint), c.Id);
            Assert.False(BpftraceParser.Parse(c.Reference!, c.Id).HasErrors, $"{c.Id}: reference does not parse");
            Assert.False(BpftraceParser.Parse(c.Wrong!, c.Id).HasErrors, $"{c.Id}: wrong program does not parse");
        });
    }

    [Fact]
    public void No_case_is_a_near_duplicate_of_a_request_in_the_example_stores_train_split()
    {
        var train = EbpfnlDataset.Load(Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "ebpfnl")).Pairs.Where(p => p.Split == "train").ToList();
        Assert.NotEmpty(train);

        var close = Suite.Value.Cases
            .SelectMany(c => train.Select(t => (Case: c.Id, c.Request, Train: t.Request, Similarity: RequestSimilarity.Jaccard(c.Request, t.Request))))
            .Where(p => p.Similarity >= 0.7)
            .ToList();

        Assert.True(close.Count == 0, string.Join('\n', close.Select(c => $"{c.Similarity:F2}: {c.Case} '{c.Request}' ~ '{c.Train}'")));
    }

    [Fact]
    public void Suite_problems_are_reported_with_their_line_and_a_suggestion()
    {
        const string yaml = """
            cases:
              - id: one
                category: files
                requets: open files
                oracle:
                  probes: [tracepoint:syscalls:sys_enter_openat]
                  workload: true
                  checks:
                    - matches: '(unclosed'
                    - contain: x
            """;
        const string duplicated = """
            cases:
              - id: same
                category: files
                request: first
              - id: same
                category: files
                request: second
            """;

        var problems = Assert.Throws<EvalSuiteException>(() => EvalSuiteLoader.Build("cases.yaml", [("cases.yaml", yaml)])).Problems;

        Assert.Contains(problems, p => p is { Code: "KG7003", Line: 4 } && p.Message == "unknown key 'requets' in a case" && p.Hint == "did you mean 'request'?");
        Assert.Contains(problems, p => p.Code == "KG7003" && p.Message == "the case 'one' has no 'request'");
        Assert.Contains(problems, p => p is { Code: "KG7006", Line: 9 } && p.Message.StartsWith("'(unclosed' is not a regular expression", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Code: "KG7006", Line: 10 } && p.Hint == "did you mean 'contains'?");
        Assert.DoesNotContain(problems, p => p.Message == "the oracle has no checks");
        var duplicate = Assert.Single(Assert.Throws<EvalSuiteException>(() => EvalSuiteLoader.Build("d.yaml", [("d.yaml", duplicated)])).Problems);
        Assert.Equal(("KG7004", 5), (duplicate.Code, duplicate.Line));
        Assert.StartsWith("cases.yaml:4:5: error KG7003: unknown key 'requets' in a case", problems.First(p => p.Line == 4).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_prompts_file_becomes_cases_without_oracles()
    {
        var suite = EvalSuiteLoader.Prompts("prompts.txt", "Trace opens\n\n# a comment\nCount forks by parent\n");

        Assert.Equal(["Trace opens", "Count forks by parent"], suite.Cases.Select(c => c.Request));
        Assert.Equal(["prompt-001", "prompt-004"], suite.Cases.Select(c => c.Id));
        Assert.False(suite.HasOracles);
    }

    [Fact]
    public void A_hints_file_gives_prompts_their_human_hints_in_order()
    {
        var hints = Path.GetTempFileName();
        try
        {
            File.WriteAllText(hints, "Tracing the tracepoint:syscalls:sys_enter_openat to log opens.\n\ntracepoint:sched:sched_process_fork\n");
            var suite = EvalSuiteLoader.WithHints(EvalSuiteLoader.Prompts("prompts.txt", "Trace opens\nCount forks\n"), hints);

            Assert.Equal(["Trace opens (Hint: Tracing the tracepoint:syscalls:sys_enter_openat to log opens.)", "Count forks (Hint: use tracepoint:sched:sched_process_fork.)"],
                suite.Cases.Select(EvalConfiguration.Hints.RequestFor));
            var problem = Assert.Single(Assert.Throws<EvalSuiteException>(() => EvalSuiteLoader.WithHints(EvalSuiteLoader.Prompts("p.txt", "one\n"), hints)).Problems);
            Assert.Equal(("KG7007", "2 hints for 1 cases"), (problem.Code, problem.Message));
        }
        finally
        {
            File.Delete(hints);
        }
    }

    [Fact]
    public void Configurations_are_the_papers_rows_and_unknown_names_get_a_suggestion()
    {
        Assert.Equal(["few-shot", "feedback", "symbex", "hints", "kgent"], EvalConfiguration.Parse(null).Select(c => c.Name));
        Assert.Equal(["kgent", "few-shot"], EvalConfiguration.Parse("kgent, few-shot,kgent").Select(c => c.Name));
        var error = Assert.Throws<ArgumentException>(() => EvalConfiguration.Parse("symbx"));
        Assert.Contains("did you mean 'symbex'?", error.Message, StringComparison.Ordinal);

        var evalCase = Suite.Value.Cases[0];
        Assert.Equal(evalCase.Request, EvalConfiguration.FewShot.RequestFor(evalCase));
        Assert.Equal($"{evalCase.Request} (Hint: use {evalCase.Hint}.)", EvalConfiguration.Kgent.RequestFor(evalCase));
    }

    [Theory]
    [InlineData("tracepoint:syscalls:sys_enter_open*", "tracepoint:syscalls:sys_enter_openat", true)]
    [InlineData("t:syscalls:sys_enter_openat", "tracepoint:syscalls:sys_enter_openat", true)]
    [InlineData("tracepoint:syscalls:sys_enter_open", "tracepoint:syscalls:sys_enter_openat", false)]
    [InlineData("kprobe:tcp_connect", "tracepoint:sock:inet_sock_set_state", false)]
    [InlineData("tracepoint:sched:sched_process_exec", "rawtracepoint:sched_process_exec", true)]
    [InlineData("tracepoint:sched:sched_process_e*", "rawtracepoint:sched_process_exec", true)]
    [InlineData("tracepoint:sched:sched_process_exec", "rawtracepoint:sched_process_exit", false)]
    [InlineData("rawtracepoint:sched_process_exec", "tracepoint:sched:sched_process_exec", false)]
    public void Acceptable_probes_match_like_bpftrace_attach_points(string pattern, string attachPoint, bool expected) =>
        Assert.Equal(expected, OracleJudge.Matches(pattern, attachPoint));

    [Fact]
    public void A_host_that_cannot_run_programs_stops_the_oracle_instead_of_failing_every_program()
    {
        var evalCase = Suite.Value.Cases[0];

        var error = Assert.Throws<OracleUnavailableException>(() =>
            OracleJudge.Judge(evalCase.Oracle!, evalCase.Reference!, loading: new VerifyOptions(BpftracePath: "/nonexistent/bpftrace")));

        Assert.StartsWith("the oracle cannot run programs on this host: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Oracle_checks_read_printf_lines_maps_and_the_workload_pid()
    {
        var oracle = new Oracle(["tracepoint:x:y"], "true", TimeSpan.FromSeconds(1),
        [
            new OracleCheck.Contains("pid {pid}"),
            new OracleCheck.Matches(@"^@bytes\[kgevcat\]: \d{5}$"),
            new OracleCheck.Lines(1),
            new OracleCheck.HistogramSamples(3),
            new OracleCheck.Count(12345),
        ]);
        RunResult Run(ImmutableArray<string> printf, params MapOutput[] maps) => new(new LoadVerdict.Accepted(["tracepoint:x:y"], TimeSpan.Zero, []),
            StopReason.WorkloadExited, TimeSpan.FromSeconds(1), printf, [.. maps], [], [], false, new WorkloadResult("true", 0, false, string.Empty, 4242), 0);
        var bytes = new MapOutput("@bytes", "map", new MapData.Keyed([new KeyedEntry("kgevcat", ["kgevcat"], new MapData.Scalar(12345))]));
        var hist = new MapOutput("@h", "hist", new MapData.Histogram([new HistogramBucket(0, 1, 2), new HistogramBucket(2, 3, 1)]));

        var pass = OracleJudge.Check(oracle, Run(["pid 4242 opened\n"], bytes, hist));
        var fail = OracleJudge.Check(oracle, Run(["pid 4243 opened\n"], hist));

        Assert.True(pass.Passed, string.Join("; ", pass.Failures));
        Assert.Equal(["output contains \"pid 4242\" failed", @"output matches /^@bytes\[kgevcat\]: \d{5}$/ failed", "some count is at least 12345 failed"], fail.Failures.ToArray());
        Assert.Contains("@h[2, 3]: 1\n", pass.Output, StringComparison.Ordinal);
    }
}
