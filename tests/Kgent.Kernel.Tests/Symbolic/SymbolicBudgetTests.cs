using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Symbolic;

/// <summary>The overall budget: paths, solver queries and time. When one runs out, what was not finished is
/// "unknown: budget exhausted", naming the budget; nothing unexplored is called verified; a counterexample found first stands.</summary>
public sealed class SymbolicBudgetTests
{
    private static string SequentialIfs(int count) =>
        "tracepoint:syscalls:sys_enter_openat {\n  $x = 0;\n" +
        string.Concat(Enumerable.Range(0, count).Select(i => $"  if (args->flags & {1L << (i % 30)}) {{ $x = $x + 1; }}\n")) +
        "  assert($x >= 0);\n}\n";

    [Fact]
    public void Two_hundred_sequential_ifs_exhaust_the_path_budget_instead_of_running_for_minutes()
    {
        // The time budget is set far out so that only the path budget can end the run, however busy the machine is (the
        // run takes 1-2 s alone; beside the rest of the suite it has taken 11 s, past the default 10 s time budget).
        var options = SymbolicCases.Options with { Budget = new SymbolicBudget(Time: TimeSpan.FromMinutes(5)) };
        var result = SymbolicVerifier.Verify(SequentialIfs(200), "ifs.bt", Catalogs.Snapshot, options);

        var unknown = Assert.IsType<SymbolicVerdict.Unknown>(Assert.Single(result.Assertions).Verdict);
        Assert.Contains("budget exhausted: the path budget (4,096 paths) was used up", unknown.Reason, StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.StartsWith("symbolic execution stopped: budget exhausted", StringComparison.Ordinal));
    }

    [Fact]
    public void The_time_budget_is_named_when_it_runs_out()
    {
        var options = SymbolicCases.Options with { Budget = new SymbolicBudget(Time: TimeSpan.FromTicks(1)) };

        var result = SymbolicVerifier.Verify(SequentialIfs(5), "ifs.bt", Catalogs.Snapshot, options);

        var unknown = Assert.IsType<SymbolicVerdict.Unknown>(Assert.Single(result.Assertions).Verdict);
        Assert.Contains("the time budget", unknown.Reason, StringComparison.Ordinal);
        Assert.Contains("--budget", Assert.Single(SymbolicDiagnostics.From(result)).Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void The_query_budget_leaves_later_assertions_unknown_and_earlier_proofs_and_counterexamples_standing()
    {
        const string program = """
            tracepoint:syscalls:sys_enter_read {
              assert(args->count != 7);
              assert(1 == 1);
              assert(2 == 2);
            }
            """;
        var options = SymbolicCases.Options with { Budget = new SymbolicBudget(Queries: 2) };

        var result = SymbolicVerifier.Verify(program, "q.bt", Catalogs.Snapshot, options);

        Assert.IsType<SymbolicVerdict.Counterexample>(result.Assertions[0].Verdict);
        Assert.IsType<SymbolicVerdict.Unknown>(result.Assertions[2].Verdict);
        Assert.Contains("the query budget (2 solver queries)", ((SymbolicVerdict.Unknown)result.Assertions[2].Verdict).Reason, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.Counterexample, result.Overall);
    }

    [Fact]
    public void A_hook_never_explored_because_the_budget_ran_out_proves_nothing()
    {
        // Two attach points: the first uses the whole path budget, so the assertion is unknown however the first went.
        var ifs = string.Concat(Enumerable.Range(0, 14).Select(i => $"  if (pid & {1 << i}) {{ $x = $x + 1; }}\n"));
        var program = $"tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_write {{\n  $x = 0;\n{ifs}  assert($x >= 0);\n}}\n";
        var options = SymbolicCases.Options with { Budget = new SymbolicBudget(Paths: 64) };

        var result = SymbolicVerifier.Verify(program, "hooks.bt", Catalogs.Snapshot, options);

        var unknown = Assert.IsType<SymbolicVerdict.Unknown>(Assert.Single(result.Assertions).Verdict);
        Assert.Contains("budget exhausted", unknown.Reason, StringComparison.Ordinal);
    }
}
