using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Intent;

/// <summary>The hint that gets Z3 ready during synthesis is raised for the requests whose check asks the solver, and not
/// for those whose check does not (read from the check's own report: proofs "with Z3" or a symbolic result).</summary>
public sealed class SolverHintTests
{
    [Theory]
    [InlineData("trace TCP connects with their IPv4/IPv6 addresses and ports", "tracepoint:sock:inet_sock_set_state /args->newstate == 2/ { printf(\"%s %d\\n\", ntop(args->daddr), args->dport); }", true)]
    [InlineData("print the name of each program executed with its PID", "tracepoint:sched:sched_process_exec { printf(\"%d %s\\n\", pid, str(args->filename)); }", false)]
    [InlineData("count file opens by process name", "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }", false)]
    [InlineData("count failed file opens by process name", "tracepoint:syscalls:sys_exit_openat /args->ret < 0/ { @[comm] = count(); }", true)]
    public void The_hint_matches_whether_the_check_asked_the_solver(string request, string program, bool asks)
    {
        var spec = OfflineIntentReader.Read(request, Catalogs.Snapshot);

        var report = IntentChecker.Check(spec, BpftraceParser.Parse(program), Catalogs.Snapshot, SymbolicCases.Contracts);

        Assert.Equal(asks, IntentChecker.MayAskSolver(spec));
        Assert.Equal(asks, report.Symbolic is not null);
    }
}
