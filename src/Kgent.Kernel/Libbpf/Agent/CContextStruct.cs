using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Tracepoints;

namespace Kgent.Kernel.Libbpf.Agent;

/// <summary>The struct vmlinux.h gives a tracepoint's record (what a <c>SEC("tp/…")</c> program's context points at):
/// <c>trace_event_raw_sys_enter</c>/<c>_exit</c> for system calls, else <c>trace_event_raw_EVENT</c> or its class's
/// struct, whichever has the tracepoint's fields at the tracepoint's offsets. Null when none matches (the program then
/// takes <c>void *ctx</c>).</summary>
public static class CContextStruct
{
    public static string? For(TracepointFormat format, BtfTypeGraph? btf)
    {
        if (format.Category == "syscalls")
        {
            return format.Event.StartsWith("sys_enter_", StringComparison.Ordinal) ? "trace_event_raw_sys_enter"
                : format.Event.StartsWith("sys_exit_", StringComparison.Ordinal) ? "trace_event_raw_sys_exit" : null;
        }

        if (btf is null)
        {
            return null;
        }

        var own = btf.FindComposite("trace_event_raw_" + format.Event);
        if (own is not null && Matches(own, format))
        {
            return own.Name;
        }

        return btf.CompositeNames().Where(n => n.StartsWith("trace_event_raw_", StringComparison.Ordinal))
            .Select(n => btf.FindComposite(n)!)
            .FirstOrDefault(c => Matches(c, format))?.Name;
    }

    /// <summary>The system-call argument each of a syscall tracepoint's fields is (<c>filename</c> is <c>args[1]</c> of openat).</summary>
    public static IReadOnlyList<(string Name, string CType, int Index)> SyscallArguments(TracepointFormat format) =>
        [.. format.Fields.Where(f => !f.Name.StartsWith("common_", StringComparison.Ordinal) && f.Name != "__syscall_nr").Select((f, i) => (f.Name, f.CType, i))];

    private static bool Matches(BtfComposite composite, TracepointFormat format)
    {
        static string FieldName(string member) => member.StartsWith("__data_loc_", StringComparison.Ordinal) ? member["__data_loc_".Length..] : member;
        var members = composite.Members.Where(m => m.Name is not ("ent" or "__data" or "")).ToList();
        var fields = format.Fields.Where(f => !f.Name.StartsWith("common_", StringComparison.Ordinal)).ToList();
        return members.Count == fields.Count && members.All(m => fields.Any(f => f.Name == FieldName(m.Name) && f.Offset == m.BitOffset / 8));
    }
}
