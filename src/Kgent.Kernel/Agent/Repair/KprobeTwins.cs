using System.Collections.Frozen;

namespace Kgent.Kernel.Agent.Repair;

/// <summary>Kernel functions whose calls a set of tracepoints observes as well, with how the function's arguments read
/// there: our own table, for hosts that cannot attach kprobes (a test checks every row against the kernel catalog).
/// <c>kprobe:ksys_read</c> is <c>tracepoint:syscalls:sys_enter_read</c>, its <c>arg2</c> is <c>args->count</c>. An
/// argument the table does not map has no twin: a probe that reads it is not repaired.</summary>
public static class KprobeTwins
{
    /// <summary>A function's twin: the tracepoints, and the builtins (<c>arg0</c>…, <c>retval</c>) each maps to.</summary>
    public sealed record Twin(string Function, bool Return, IReadOnlyList<string> Tracepoints, IReadOnlyDictionary<string, string> Arguments);

    private static readonly string[] OpenEnter = ["tracepoint:syscalls:sys_enter_open", "tracepoint:syscalls:sys_enter_openat", "tracepoint:syscalls:sys_enter_openat2"];
    private static readonly string[] OpenExit = ["tracepoint:syscalls:sys_exit_open", "tracepoint:syscalls:sys_exit_openat", "tracepoint:syscalls:sys_exit_openat2"];

    public static IReadOnlyList<Twin> All { get; } =
    [
        // open(), openat() and openat2() all reach do_sys_openat2; only the file name reads the same in all three.
        new("do_sys_openat2", false, OpenEnter, new Dictionary<string, string> { ["arg1"] = "args->filename" }),
        new("do_sys_openat2", true, OpenExit, new Dictionary<string, string> { ["retval"] = "args->ret" }),
        new("do_sys_open", false, OpenEnter[..2], new Dictionary<string, string> { ["arg1"] = "args->filename", ["arg2"] = "args->flags", ["arg3"] = "args->mode" }),
        new("do_sys_open", true, OpenExit[..2], new Dictionary<string, string> { ["retval"] = "args->ret" }),
        new("ksys_read", false, ["tracepoint:syscalls:sys_enter_read"], new Dictionary<string, string> { ["arg0"] = "args->fd", ["arg1"] = "args->buf", ["arg2"] = "args->count" }),
        new("ksys_read", true, ["tracepoint:syscalls:sys_exit_read"], new Dictionary<string, string> { ["retval"] = "args->ret" }),
        new("ksys_write", false, ["tracepoint:syscalls:sys_enter_write"], new Dictionary<string, string> { ["arg0"] = "args->fd", ["arg1"] = "args->buf", ["arg2"] = "args->count" }),
        new("ksys_write", true, ["tracepoint:syscalls:sys_exit_write"], new Dictionary<string, string> { ["retval"] = "args->ret" }),
        new("do_exit", false, ["tracepoint:sched:sched_process_exit"], new Dictionary<string, string>()),
        new("wake_up_new_task", false, ["tracepoint:sched:sched_wakeup_new"], new Dictionary<string, string>()),
        new("do_unlinkat", false, ["tracepoint:syscalls:sys_enter_unlink", "tracepoint:syscalls:sys_enter_unlinkat"], new Dictionary<string, string>()),
    ];

    private static readonly FrozenDictionary<(string, bool), Twin> ByFunction = All.ToFrozenDictionary(t => (t.Function, t.Return));

    /// <summary>The twin of <c>kprobe:FUNCTION</c> (or <c>kretprobe:</c> when <paramref name="isReturn"/>): a row of the
    /// table, or for a system call's entry function (<c>__x64_sys_NAME</c>, <c>__arm64_sys_NAME</c>, <c>sys_NAME</c>)
    /// the call's own tracepoint, whose arguments do not read as the function's (they are in its pt_regs).</summary>
    public static Twin? Of(string function, bool isReturn)
    {
        if (ByFunction.TryGetValue((function, isReturn), out var twin))
        {
            return twin;
        }

        foreach (var prefix in new[] { "__x64_sys_", "__arm64_sys_", "__ia32_sys_", "sys_" })
        {
            if (function.StartsWith(prefix, StringComparison.Ordinal) && function.Length > prefix.Length)
            {
                var call = function[prefix.Length..];
                return isReturn
                    ? new Twin(function, true, [$"tracepoint:syscalls:sys_exit_{call}"], new Dictionary<string, string> { ["retval"] = "args->ret" })
                    : new Twin(function, false, [$"tracepoint:syscalls:sys_enter_{call}"], new Dictionary<string, string>());
            }
        }

        return null;
    }
}
