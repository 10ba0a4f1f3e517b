namespace Kgent.Kernel.Bpftrace.Syntax.Items;

public enum ProbeType
{
    Unknown,
    Begin,
    End,
    Kprobe,
    Kretprobe,
    Uprobe,
    Uretprobe,
    Tracepoint,
    RawTracepoint,
    Kfunc,
    Kretfunc,
    Usdt,
    Profile,
    Interval,
    Software,
    Hardware,
    Watchpoint,
    AsyncWatchpoint,
    Iter,
}
