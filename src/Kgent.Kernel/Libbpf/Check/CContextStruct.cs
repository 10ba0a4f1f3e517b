using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Tracepoints;

namespace Kgent.Kernel.Libbpf.Check;

/// <summary>The struct vmlinux.h gives a tracepoint's record (what a <c>SEC("tp/…")</c> program's context points at):
/// <c>trace_event_raw_sys_enter</c>/<c>_exit</c> for system calls, else <c>trace_event_raw_EVENT</c> or its class's
/// struct, whichever has the tracepoint's fields at the tracepoint's offsets. The check compares a program's context with
/// it; the prompter and the offline composer name it.</summary>
public static class CContextStruct
{
    /// <summary>The record's struct, or null when none matches (the program then takes <c>void *ctx</c>).</summary>
    public static string? For(TracepointFormat format, BtfTypeGraph? btf)
    {
        if (format.Category == "syscalls")
        {
            return Syscall(format);
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

    /// <summary>A system-call tracepoint's record: <c>trace_event_raw_sys_enter</c> or <c>trace_event_raw_sys_exit</c>.</summary>
    public static string? Syscall(TracepointFormat format) =>
        format.Event.StartsWith("sys_enter_", StringComparison.Ordinal) ? "trace_event_raw_sys_enter"
        : format.Event.StartsWith("sys_exit_", StringComparison.Ordinal) ? "trace_event_raw_sys_exit"
        : null;

    /// <summary>The system-call argument each of a syscall tracepoint's fields is (<c>filename</c> is <c>args[1]</c> of openat).</summary>
    public static IReadOnlyList<(string Name, string CType, int Index)> SyscallArguments(TracepointFormat format) =>
        [.. format.Fields.Where(f => !f.Name.StartsWith("common_", StringComparison.Ordinal) && f.Name != "__syscall_nr").Select((f, i) => (f.Name, f.CType, i))];

    /// <summary>The struct's members past the common header (<c>ent</c>) and before the trailing data.</summary>
    public static List<BtfMember> Members(BtfComposite composite) => [.. composite.Members.Where(m => m.Name is not ("ent" or "__data" or ""))];

    /// <summary>The tracepoint's own fields (not the common_* header).</summary>
    public static List<TracepointField> Fields(TracepointFormat format) => [.. format.Fields.Where(f => !f.Name.StartsWith("common_", StringComparison.Ordinal))];

    /// <summary>The field a member stands for: a __data_loc string (stored after the record) is <c>__data_loc_NAME</c>.</summary>
    public static string FieldName(BtfMember member) =>
        member.Name.StartsWith("__data_loc_", StringComparison.Ordinal) ? member.Name["__data_loc_".Length..] : member.Name;

    /// <summary>The first member that is not a field of the tracepoint at the same offset, or null when every one is.</summary>
    public static BtfMember? Misplaced(BtfComposite composite, TracepointFormat format)
    {
        var fields = Fields(format);
        return Members(composite).FirstOrDefault(m => !fields.Any(f => f.Name == FieldName(m) && f.Offset == m.BitOffset / 8));
    }

    private static bool Matches(BtfComposite composite, TracepointFormat format) =>
        Members(composite).Count == Fields(format).Count && Misplaced(composite, format) is null;
}
