using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Intent;

/// <summary>A latency asked in a unit becomes an <c>assert(...)</c> in the annotated program, on the answer's line,
/// which Z3 proves when the value is the time since the start in that unit and refutes, with values, when it is not.</summary>
public sealed class UnitAssertionTests
{
    private const string Request = "Show a histogram of read() latency in microseconds.";

    private static IntentReport Check(string program) =>
        IntentChecker.Check(OfflineIntentReader.Read(Request, Catalogs.Snapshot), BpftraceParser.Parse(program), Catalogs.Snapshot, SymbolicCases.Contracts);

    private const string Start = "tracepoint:syscalls:sys_enter_read { @ts[tid] = nsecs; }\n";

    [Fact]
    public void A_value_computed_through_a_variable_is_proved_to_be_microseconds()
    {
        var report = Check(Start + "tracepoint:syscalls:sys_exit_read /@ts[tid]/\n{\n  $delta = (nsecs - @ts[tid]) / 1000;\n  @us = hist($delta);\n  delete(@ts[tid]);\n}\n");

        var unit = Assert.Single(report.Results, r => r.Obligation.Kind == ObligationKind.Assertion);
        Assert.Equal(ObligationOutcome.Proved, unit.Outcome);
        Assert.Equal("in microseconds", unit.Obligation.Words);
        Assert.Equal(5, unit.Line);
        Assert.Contains("  $delta = (nsecs - @ts[tid]) / 1000;\n  assert($delta == (nsecs - @ts[tid]) / 1000); @us = hist($delta);", report.Annotated, StringComparison.Ordinal);
        Assert.Equal(IntentVerdict.Verified, report.Verdict);
    }

    [Fact]
    public void Milliseconds_are_refuted_with_the_values_that_show_it()
    {
        var report = Check(Start + "tracepoint:syscalls:sys_exit_read /@ts[tid]/\n{\n  $delta = (nsecs - @ts[tid]) / 1000000;\n  @us = hist($delta);\n  delete(@ts[tid]);\n}\n");

        var unit = Assert.Single(report.Results, r => r.Obligation.Kind == ObligationKind.Assertion);
        Assert.Equal(ObligationOutcome.Refuted, unit.Outcome);
        Assert.Equal(5, unit.Line);
        Assert.NotEmpty(unit.Inputs);
        Assert.Equal(IntentVerdict.Refuted, report.Verdict);
    }

    [Fact]
    public void A_start_deleted_before_the_answer_gets_no_assertion_rather_than_a_false_alarm()
    {
        var report = Check(Start + "tracepoint:syscalls:sys_exit_read /@ts[tid]/\n{\n  $delta = (nsecs - @ts[tid]) / 1000;\n  delete(@ts[tid]);\n  @us = hist($delta);\n}\n");

        Assert.DoesNotContain(report.Results, r => r.Obligation.Kind == ObligationKind.Assertion);
        Assert.Equal(IntentVerdict.Verified, report.Verdict);
    }
}
