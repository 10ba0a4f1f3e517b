using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Symbolic;

/// <summary>Behaviour of the executor beyond the verdict suite: timeouts, real programs, notes, counterexample details.</summary>
public sealed class SymbolicExecutorTests
{
    [Fact]
    public void A_query_that_times_out_is_unknown_with_the_reason()
    {
        // Factoring a 62-bit semiprime with bit-vector multiplication does not finish in a millisecond.
        const string program = """
            tracepoint:syscalls:sys_enter_read {
              $a = args->count;
              $b = args->fd;
              assert(!($a > 1 && $b > 1 && $a < 4294967296 && $b < 4294967296 && $a * $b == 3011347461493342351));
            }
            """;
        var options = SymbolicCases.Options with { QueryTimeout = TimeSpan.FromMilliseconds(1) };

        var result = SymbolicVerifier.Verify(program, "factor.bt", Catalogs.Snapshot, options);

        var unknown = Assert.IsType<SymbolicVerdict.Unknown>(Assert.Single(result.Assertions).Verdict);
        Assert.Contains("unknown", unknown.Reason, StringComparison.Ordinal);
        Assert.Equal(QueryAnswer.Unknown, Assert.Single(result.Queries).Answer);
    }

    [Fact]
    public void Every_example_assertion_is_verified()
    {
        // The programs Kgent ships must not carry assertions that its own verifier refutes.
        var annotated = Support.Corpus.ExamplePaths().Select(path => BpftraceParser.Parse(SourceText.FromFile(path)))
            .Where(parse => !parse.HasErrors && Bpftrace.Printing.AnnotationStripper.CountAnnotations(parse.Program) > 0)
            .ToList();

        Assert.NotEmpty(annotated);
        Assert.All(annotated, parse =>
        {
            var result = SymbolicVerifier.Verify(parse, Catalogs.Snapshot, SymbolicCases.Options);
            Assert.True(result.IsVerified, $"{parse.Source.Path}: " + string.Join("; ", result.Failures.Select(f => f.Verdict)));
        });
    }

    [Fact]
    public void Default_timeout_is_two_seconds() => Assert.Equal(TimeSpan.FromSeconds(2), SymbolicOptions.Default.Timeout);

    [InstalledToolsTheory]
    [MemberData(nameof(Support.Corpus.InstalledTools), MemberType = typeof(Support.Corpus))]
    public void Every_installed_tool_runs_through_the_executor_without_crashing(string name)
    {
        // Put a trivially true assertion at the top of every probe body, so the executor walks the whole real program.
        var parse = BpftraceParser.Parse(Support.Corpus.LoadTool(name));
        var text = parse.Source.Text;
        foreach (var probe in parse.Program.Probes.OrderByDescending(p => p.Body.Span.Start))
        {
            text = text.Insert(probe.Body.Span.Start + 1, " assert(pid <= 4194304); ");
        }

        // oomkill.bt reads /proc/loadavg with cat(): the safety policy refuses it unless cat is allowed by name.
        var allowed = name == "oomkill.bt" ? Kgent.Kernel.Safety.SafetyAllowance.Parse(["cat"], out _) : null;
        var result = SymbolicVerifier.Verify(BpftraceParser.Parse(new SourceText(text, name)), Catalogs.Snapshot, SymbolicCases.Options with { Allowed = allowed });

        Assert.Null(result.Refusal);
        Assert.Equal(parse.Program.Probes.Count(), result.Assertions.Length);
        Assert.All(result.Assertions, a => Assert.True(a.Verdict.Kind is VerdictKind.Verified or VerdictKind.Unknown, $"{a.Position}: {a.Verdict}"));
    }

    [Fact]
    public void An_unmodelled_call_gives_a_fresh_value_and_a_note()
    {
        const string program = """
            tracepoint:syscalls:sys_enter_read {
              $id = cgroupid("/sys/fs/cgroup");
              $x = $id + 1;
              assert($x > $id);
            }
            """;

        var result = SymbolicVerifier.Verify(program, "x.bt", Catalogs.Snapshot, SymbolicCases.Options);

        // $id can be 2^64-1, so $id + 1 wraps: a real counterexample, with the wrapping value shown.
        var counterexample = Assert.IsType<SymbolicVerdict.Counterexample>(Assert.Single(result.Assertions).Verdict);
        Assert.Equal(ulong.MaxValue, counterexample.Variables.Single(v => v.Name == "$id").Bits);
    }

    [Fact]
    public void Counterexample_lists_path_inputs_and_variables()
    {
        const string program = """
            tracepoint:syscalls:sys_enter_read /args->fd > 2/ {
              $n = args->count;
              if ($n > 10) {
                $n = $n - 10;
              }
              assert($n < 100);
            }
            """;

        var result = SymbolicVerifier.Verify(program, "x.bt", Catalogs.Snapshot, SymbolicCases.Options);

        var counterexample = Assert.IsType<SymbolicVerdict.Counterexample>(Assert.Single(result.Assertions).Verdict);
        Assert.Contains(counterexample.Path, p => p.Contains("predicate /args->fd > 2/", StringComparison.Ordinal));
        Assert.Contains(counterexample.Path, p => p.Contains("if ($n > 10) is true", StringComparison.Ordinal));
        var fd = counterexample.Inputs.Single(i => i.Name == "args->fd");
        Assert.True(fd.Bits > 2);
        var count = counterexample.Inputs.Single(i => i.Name == "args->count").Bits!.Value;
        Assert.Equal(count - 10, counterexample.Variables.Single(v => v.Name == "$n").Bits);
        Assert.True(count - 10 >= 100);
    }

    [Fact]
    public void Too_many_paths_make_the_verdict_unknown_with_the_reason()
    {
        // Six independent ifs are 64 paths; with a bound of 32 the exploration is cut and nothing is claimed.
        var ifs = string.Concat(Enumerable.Range(0, 6).Select(i => $"  if (args->count & {1 << i}) {{ $n = $n + 1; }}\n"));
        var program = $"tracepoint:syscalls:sys_enter_read {{\n  $n = 0;\n{ifs}  assert($n <= 6);\n}}\n";

        var result = SymbolicVerifier.Verify(program, "paths.bt", Catalogs.Snapshot, SymbolicCases.Options with { MaxPaths = 32 });

        var unknown = Assert.IsType<SymbolicVerdict.Unknown>(Assert.Single(result.Assertions).Verdict);
        Assert.Contains("more than 32 paths", unknown.Reason, StringComparison.Ordinal);
        var bounded = SymbolicVerifier.Verify(program, "paths.bt", Catalogs.Snapshot, SymbolicCases.Options);
        Assert.IsType<SymbolicVerdict.Verified>(Assert.Single(bounded.Assertions).Verdict);
    }

    [Fact]
    public void Without_a_catalog_kernel_fields_are_unsupported_but_plain_logic_is_verified()
    {
        var plain = SymbolicVerifier.Verify("BEGIN { $x = (uint8)511; assert($x == 255); }", "x.bt", catalog: null);
        Assert.IsType<SymbolicVerdict.Verified>(Assert.Single(plain.Assertions).Verdict);

        var fields = SymbolicVerifier.Verify("tracepoint:sched:sched_switch { assert(args->prev_pid >= 0); }", "x.bt", catalog: null);
        var unsupported = Assert.IsType<SymbolicVerdict.Unsupported>(Assert.Single(fields.Assertions).Verdict);
        Assert.Contains("args->prev_pid", unsupported.Construct, StringComparison.Ordinal);
    }

    [Fact]
    public void Wildcard_matching_more_tracepoints_than_explored_is_unknown_not_verified()
    {
        var result = SymbolicVerifier.Verify("tracepoint:syscalls:sys_enter_* { assert(pid <= 4194304); }", "x.bt", Catalogs.Snapshot, SymbolicCases.Options);

        var unknown = Assert.IsType<SymbolicVerdict.Unknown>(Assert.Single(result.Assertions).Verdict);
        Assert.Contains("matches more tracepoints than were explored", unknown.Reason, StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.Contains("the first 16 were explored", StringComparison.Ordinal));
    }

    [Fact]
    public void Counterexample_path_names_the_hook_that_fails()
    {
        var result = SymbolicVerifier.Verify(
            "tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_write { assert(args->count != 1); }", "x.bt", Catalogs.Snapshot, SymbolicCases.Options);

        var counterexample = Assert.IsType<SymbolicVerdict.Counterexample>(Assert.Single(result.Assertions).Verdict);
        Assert.StartsWith("hook tracepoint:syscalls:sys_enter_read (contract: tracepoint syscalls:sys_enter_read)", counterexample.Path[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Program_without_assertions_has_nothing_to_prove_and_is_not_verified()
    {
        var result = SymbolicVerifier.Verify("tracepoint:syscalls:sys_enter_read { @[comm] = count(); }", "x.bt", Catalogs.Snapshot);

        Assert.Empty(result.Assertions);
        Assert.Empty(result.Queries);
        Assert.Equal(VerdictKind.NothingToProve, result.Overall);
        Assert.False(result.IsVerified);
    }

    [Fact]
    public void Assertion_after_an_infeasible_assume_is_vacuously_verified()
    {
        var result = SymbolicVerifier.Verify("BEGIN { assume(1 == 2); assert(0); }", "x.bt", Catalogs.Snapshot);

        Assert.IsType<SymbolicVerdict.Verified>(Assert.Single(result.Assertions).Verdict);
    }

    [Fact]
    public void Model_value_shows_hex_and_decimal()
    {
        Assert.Equal("0x5000 (20480)", ModelValue.Integer("dport", 0x5000, 16, false).Display);
        Assert.Equal("0xffffff9c (-100)", ModelValue.Integer("dfd", unchecked((ulong)-100L), 32, true).Display);
        Assert.Equal("0x7", ModelValue.Integer("n", 7, 64, false).Display);
        Assert.Equal("\"bash\"", ModelValue.String("comm", "bash").Display);
    }
}
