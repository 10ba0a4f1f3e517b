using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Porting;

namespace Kgent.Kernel.Tests.Versions;

/// <summary>A ported probe read back as its tracepoint (what the intent check reasons about), line by line.</summary>
public sealed class TracepointViewTests
{
    [Fact]
    public void A_raw_probe_the_table_reads_is_its_tracepoint_on_the_same_lines()
    {
        const string raw = """
            rawtracepoint:sched_process_exec
            /((struct task_struct *)arg0)->pid > 1/
            {
              printf("%d %s %d\n", ((struct task_struct *)arg0)->pid,
                 str(((struct linux_binprm *)arg2)->filename), (int32) arg1);
            }

            """;
        var view = TracepointView.Of(BpftraceParser.Parse(raw, "raw.bt"));

        Assert.False(view.HasErrors, view.Source.Text);
        Assert.Equal("""
            tracepoint:sched:sched_process_exec
            /args->pid > 1/
            {
              printf("%d %s %d\n", args->pid,
                 str(args->filename), args->old_pid);
            }

            """, view.Source.Text);
    }

    [Theory]
    [InlineData("rawtracepoint:sched_process_exec { printf(\"%d\\n\", arg1); }\n")]
    [InlineData("rawtracepoint:sched_process_exec { @[str(((struct linux_binprm *)arg2)->interp)] = count(); }\n")]
    [InlineData("rawtracepoint:sched_switch { @[arg0] = count(); }\n")]
    [InlineData("tracepoint:sched:sched_process_exec { @[str(args->filename)] = count(); }\n")]
    public void Anything_else_is_left_as_it_is(string program)
    {
        var parse = BpftraceParser.Parse(program, "other.bt");
        Assert.Same(parse, TracepointView.Of(parse));
    }
}
