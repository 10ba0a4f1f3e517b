namespace Kgent.Kernel.Probes;

/// <summary>What the front end knows about a probe type: its name, its short alias, how many ':'-separated
/// parts follow the name, and a usage example for error messages.</summary>
public sealed record ProbeTypeInfo(ProbeType Type, string Name, string? Alias, int MinParts, int MaxParts, string Usage)
{
    public static IReadOnlyList<ProbeTypeInfo> All { get; } =
    [
        new(ProbeType.Begin, "BEGIN", null, 0, 0, "BEGIN"),
        new(ProbeType.End, "END", null, 0, 0, "END"),
        new(ProbeType.Kprobe, "kprobe", "k", 1, 2, "kprobe:FUNCTION[+OFFSET] or kprobe:MODULE:FUNCTION"),
        new(ProbeType.Kretprobe, "kretprobe", "kr", 1, 2, "kretprobe:FUNCTION"),
        new(ProbeType.Uprobe, "uprobe", "u", 1, 3, "uprobe:BINARY:FUNCTION"),
        new(ProbeType.Uretprobe, "uretprobe", "ur", 1, 3, "uretprobe:BINARY:FUNCTION"),
        new(ProbeType.Tracepoint, "tracepoint", "t", 2, 2, "tracepoint:CATEGORY:EVENT"),
        new(ProbeType.RawTracepoint, "rawtracepoint", "rt", 1, 2, "rawtracepoint:EVENT"),
        new(ProbeType.Kfunc, "kfunc", "f", 1, 2, "kfunc:FUNCTION"),
        new(ProbeType.Kretfunc, "kretfunc", "fr", 1, 2, "kretfunc:FUNCTION"),
        new(ProbeType.Usdt, "usdt", "U", 1, 3, "usdt:BINARY:[PROVIDER:]PROBE"),
        new(ProbeType.Profile, "profile", "p", 1, 2, "profile:hz:99"),
        new(ProbeType.Interval, "interval", "i", 1, 2, "interval:s:1"),
        new(ProbeType.Software, "software", "s", 1, 2, "software:EVENT:COUNT"),
        new(ProbeType.Hardware, "hardware", "h", 1, 2, "hardware:EVENT:COUNT"),
        new(ProbeType.Watchpoint, "watchpoint", "w", 3, 3, "watchpoint:ADDRESS:LENGTH:MODE"),
        new(ProbeType.AsyncWatchpoint, "asyncwatchpoint", "aw", 3, 3, "asyncwatchpoint:ADDRESS:LENGTH:MODE"),
        new(ProbeType.Iter, "iter", "it", 1, 2, "iter:task"),
    ];

    public static ProbeTypeInfo? Find(string provider) =>
        All.FirstOrDefault(info => info.Name == provider || info.Alias == provider);

    public static ProbeTypeInfo Of(ProbeType type) => All.First(info => info.Type == type);

    /// <summary>Every spelling a user may write, for "did you mean".</summary>
    public static IEnumerable<string> Spellings => All.Select(info => info.Name).Concat(All.Where(i => i.Alias is not null).Select(i => i.Alias!));
}
