namespace Kgent.Kernel.Probes;

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
