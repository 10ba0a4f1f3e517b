using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Libbpf.Check;

/// <summary>What a libbpf section name asks for: the probe type and its target, as libbpf reads <c>SEC("...")</c>
/// (<c>tp/syscalls/sys_enter_openat</c>, <c>raw_tp/sched_switch</c>, <c>kprobe/do_unlinkat</c>).</summary>
/// <param name="Type">The probe type, or <see cref="ProbeType.Unknown"/> for a section libbpf does not know.</param>
/// <param name="Category">For tracepoints, the category (<c>syscalls</c>).</param>
/// <param name="Target">The event, function or (for types Kgent does not check) the rest of the name.</param>
/// <param name="Checked">Whether Kgent checks this type of hook against the catalog.</param>
public sealed record ProgramSection(string Name, ProbeType Type, string? Category, string Target, bool Checked)
{
    /// <summary>The prefixes libbpf 1.x recognises, with the probe type each stands for (those Kgent checks first).</summary>
    public static IReadOnlyList<(string Prefix, ProbeType Type, bool Checked)> Known { get; } =
    [
        ("tp", ProbeType.Tracepoint, true),
        ("tracepoint", ProbeType.Tracepoint, true),
        ("raw_tp", ProbeType.RawTracepoint, true),
        ("raw_tracepoint", ProbeType.RawTracepoint, true),
        ("tp_btf", ProbeType.RawTracepoint, true),
        ("kprobe", ProbeType.Kprobe, true),
        ("kretprobe", ProbeType.Kretprobe, true),
        ("fentry", ProbeType.Kfunc, true),
        ("fexit", ProbeType.Kretfunc, true),
        ("uprobe", ProbeType.Uprobe, false),
        ("uretprobe", ProbeType.Uretprobe, false),
        ("usdt", ProbeType.Usdt, false),
        ("perf_event", ProbeType.Profile, false),
        ("iter", ProbeType.Iter, false),
        ("ksyscall", ProbeType.Kprobe, false),
        ("kretsyscall", ProbeType.Kretprobe, false),
    ];

    public string Display => Type switch
    {
        ProbeType.Tracepoint => $"tracepoint {Category}:{Target}",
        ProbeType.RawTracepoint => $"raw tracepoint {Target}",
        ProbeType.Kprobe => $"kprobe {Target}",
        ProbeType.Kretprobe => $"kretprobe {Target}",
        ProbeType.Kfunc => $"fentry {Target}",
        ProbeType.Kretfunc => $"fexit {Target}",
        _ => Name,
    };

    /// <summary>The hook as bpftrace names it (<c>tracepoint:syscalls:sys_enter_openat</c>, <c>rawtracepoint:sched_switch</c>,
    /// <c>kprobe:vfs_read</c>), so C programs are judged against the same attach points as bpftrace ones.</summary>
    public string AttachPoint => Type switch
    {
        ProbeType.Tracepoint => $"tracepoint:{Category}:{Target}",
        ProbeType.RawTracepoint => $"rawtracepoint:{Target}",
        ProbeType.Kprobe => $"kprobe:{Target}",
        ProbeType.Kretprobe => $"kretprobe:{Target}",
        ProbeType.Kfunc => $"kfunc:{Target}",
        ProbeType.Kretfunc => $"kretfunc:{Target}",
        _ => Name,
    };

    public static ProgramSection Parse(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? name : name[..slash];
        var rest = slash < 0 ? string.Empty : name[(slash + 1)..];
        var known = Known.FirstOrDefault(k => k.Prefix == prefix);
        if (known.Prefix is null)
        {
            return new ProgramSection(name, ProbeType.Unknown, null, rest, false);
        }

        if (known.Type == ProbeType.Tracepoint)
        {
            var parts = rest.Split('/');
            return parts.Length == 2 && parts.All(p => p.Length > 0)
                ? new ProgramSection(name, known.Type, parts[0], parts[1], true)
                : new ProgramSection(name, known.Type, null, rest, true);
        }

        // kprobe/FUNC+OFFSET: the function is what must exist.
        var target = known.Type is ProbeType.Kprobe or ProbeType.Kretprobe ? rest.Split('+')[0] : rest;
        return new ProgramSection(name, known.Type, null, target, known.Checked);
    }
}
