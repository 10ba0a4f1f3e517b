using System.Collections.Frozen;
using Kgent.Kernel.KernelInfo.Tracepoints;

namespace Kgent.Kernel.Intent;

/// <summary>What a role ("the process name", "the destination port") is on a given hook: the expressions that denote
/// it there, as patterns over a program's normalized expressions (see <see cref="ExpressionShape"/>). A pattern is an
/// expression's canonical text (<c>comm</c>, <c>args->filename</c>); <c>*name</c> matches any field chain ending in
/// <c>name</c>; <c>ntohs(*skc_dport)</c> the same inside a byte swap. Built from the tracepoint's own fields, with a table
/// of our own for the hooks whose subject is not the current task (a wakeup's task is the woken one, not the waker).
/// An empty result means "don't know": the role is then not an obligation on that hook.</summary>
internal static class FieldRoles
{
    private static readonly FrozenSet<string> PathFields = FrozenSet.ToFrozenSet(["filename", "pathname", "path", "name", "oldname", "newname", "dir", "target"], StringComparer.Ordinal);

    /// <summary>Hooks whose event is about another task than the one running: the expressions for its name and PID.</summary>
    private static readonly FrozenDictionary<string, (string[] Name, string[] Pid)> Subjects = new Dictionary<string, (string[], string[])>
    {
        ["tracepoint:sched:sched_wakeup"] = (["args->comm"], ["args->pid"]),
        ["tracepoint:sched:sched_wakeup_new"] = (["args->comm"], ["args->pid"]),
        ["tracepoint:sched:sched_waking"] = (["args->comm"], ["args->pid"]),
        // A switch is about two tasks: unqualified, either one is "the task" (switched out or in).
        ["tracepoint:sched:sched_switch"] = (["args->prev_comm", "comm", "args->next_comm"], ["args->prev_pid", "pid", "tid", "args->next_pid"]),
        ["tracepoint:sched:sched_process_exit"] = (["comm", "args->comm"], ["pid", "args->pid"]),
        ["tracepoint:sched:sched_process_free"] = (["args->comm"], ["args->pid"]),
        ["tracepoint:sched:sched_process_exec"] = (["comm"], ["pid", "args->pid"]),
        ["tracepoint:sched:sched_process_fork"] = (["comm", "args->parent_comm"], ["pid", "args->parent_pid"]),
        ["tracepoint:task:task_newtask"] = (["comm"], ["pid"]),
        ["tracepoint:oom:mark_victim"] = (["args->comm"], ["args->pid"]),
        ["tracepoint:sched:sched_migrate_task"] = (["args->comm"], ["args->pid"]),
        ["tracepoint:task:task_rename"] = (["args->newcomm", "args->oldcomm", "comm"], ["args->pid", "pid"]),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Qualified names and PIDs: (hook, qualifier) to expressions.</summary>
    private static readonly FrozenDictionary<(string Hook, string Qualifier), string[]> Qualified = new Dictionary<(string, string), string[]>
    {
        [("tracepoint:sched:sched_switch:name", "next")] = ["args->next_comm"],
        [("tracepoint:sched:sched_switch:pid", "next")] = ["args->next_pid"],
        [("tracepoint:sched:sched_process_fork:name", "child")] = ["args->child_comm"],
        [("tracepoint:sched:sched_process_fork:pid", "child")] = ["args->child_pid"],
        [("tracepoint:sched:sched_process_fork:name", "parent")] = ["args->parent_comm", "comm"],
        [("tracepoint:sched:sched_process_fork:pid", "parent")] = ["args->parent_pid", "pid"],
        [("tracepoint:signal:signal_generate:pid", "target")] = ["args->pid"],
        [("tracepoint:signal:signal_generate:name", "target")] = ["args->comm"],
        [("tracepoint:signal:signal_deliver:pid", "target")] = ["pid"],
        [("tracepoint:syscalls:sys_enter_kill:pid", "target")] = ["args->pid"],
        [("tracepoint:syscalls:sys_enter_tgkill:pid", "target")] = ["args->tgid", "args->pid"],
        [("tracepoint:syscalls:sys_enter_tkill:pid", "target")] = ["args->pid"],
    }.ToFrozenDictionary();

    /// <summary>The patterns for a role on a hook, or empty when Kgent does not know what denotes it there.</summary>
    public static IReadOnlyList<string> Patterns(string role, string? qualifier, string hook, TracepointFormat? format)
    {
        var fields = format?.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        bool Has(string name) => fields.Contains(name);
        string[] Args(params string[] names) => [.. names.Where(Has).Select(n => "args->" + n)];
        var exit = hook.Contains(":sys_exit_", StringComparison.Ordinal) || hook.StartsWith("kretprobe:", StringComparison.Ordinal);
        switch (role)
        {
            case IntentRoles.ProcessName:
                if (qualifier is not null && Qualified.TryGetValue(($"{hook}:name", qualifier), out var names))
                {
                    return names;
                }

                return Subjects.TryGetValue(hook, out var subject) ? subject.Name : ["comm"];
            case IntentRoles.Pid:
                if (qualifier is not null && Qualified.TryGetValue(($"{hook}:pid", qualifier), out var pids))
                {
                    return pids;
                }

                if (qualifier == "target")
                {
                    // A call aimed at another process (kill, ptrace, sched_setaffinity, …) names it in its pid argument.
                    return Args("pid");
                }

                return Subjects.TryGetValue(hook, out var who) ? who.Pid : ["pid"];
            case IntentRoles.Tid:
                return ["tid"];
            case IntentRoles.FileDescriptor:
                // A descriptor a call returns (open, socket, dup) is its result; one it is passed is an argument.
                return qualifier == "returned" ? (exit ? Args("ret") : []) : exit ? [] : Args("fd", "fildes", "oldfd");
            case IntentRoles.Cpu:
                return ["cpu"];
            case IntentRoles.User:
                return ["uid"];
            case IntentRoles.Path:
            {
                if (hook == "tracepoint:task:task_rename" && qualifier is "old" or "new")
                {
                    // A task's "old and new name" is its comm before and after.
                    return [$"args->{qualifier}comm"];
                }

                var paths = fields.Where(PathFields.Contains).ToList();
                if (qualifier is "old" or "new")
                {
                    paths = [.. paths.Where(p => p.StartsWith(qualifier, StringComparison.Ordinal))];
                }
                else if (paths.Count > 1)
                {
                    paths = [.. paths.Where(p => !p.StartsWith("new", StringComparison.Ordinal) && !p.StartsWith("old", StringComparison.Ordinal))];
                }

                return [.. paths.Select(p => "args->" + p)];
            }

            case IntentRoles.Executable:
                // After exec the task already carries the new name, so comm names the executable there; at execve's entry it
                // is still the caller's name.
                return hook.Contains("sched_process_exec", StringComparison.Ordinal) ? [.. Args("filename"), "comm"]
                    : hook.Contains("exec", StringComparison.Ordinal) ? Args("filename") : [];
            case IntentRoles.Error:
                return exit ? (hook.StartsWith("kretprobe:", StringComparison.Ordinal) ? ["retval"] : Args("ret")) : Args("error", "errno", "ret");
            case IntentRoles.Size:
                return SizeFields(qualifier, hook, Has, exit);
            case IntentRoles.Port:
                return qualifier switch
                {
                    "destination" or "remote" => [.. Args("dport"), "ntohs(*skc_dport)", "ntohs(*dport)"],
                    "source" or "local" => [.. Args("sport"), "*skc_num", "ntohs(*sport)"],
                    _ => [.. Args("dport", "sport"), "ntohs(*skc_dport)", "*skc_num"],
                };
            case IntentRoles.Address:
                return Args("brk", "addr", "address", "saddr", "daddr", "saddr_v6", "daddr_v6", "ip");
            case IntentRoles.Signal:
                return Args("sig", "signr");
            case IntentRoles.ExitStatus:
                // A process-exit tracepoint without a status field still has the task's: curtask->exit_code.
                return hook.StartsWith("tracepoint:sched:sched_process_", StringComparison.Ordinal) ? [.. Args("error_code", "exit_code", "code"), "*exit_code"]
                    : Args("error_code", "exit_code", "code");
            case IntentRoles.State:
                return qualifier switch
                {
                    "old" => Args("oldstate"),
                    "new" => Args("newstate"),
                    _ => Args("newstate", "oldstate", "state"),
                };
            case IntentRoles.Device:
                return hook.StartsWith("tracepoint:net:", StringComparison.Ordinal) ? Args("name") : Args("dev");
            case IntentRoles.Syscall:
                return Args("id");
            case IntentRoles.Reason:
                return Args("reason");
            case IntentRoles.OperationType:
                return Args("rwbs", "op");
            case IntentRoles.Order:
                return Args("order");
            case IntentRoles.Function:
                // Where in the kernel: a tracepoint's code address as a symbol (kfree_skb's location, kmalloc's call site).
                return [.. Args("location", "call_site", "ip").Select(a => $"ksym({a})")];
            default:
                return [];
        }
    }

    private static string[] SizeFields(string? qualifier, string hook, Func<string, bool> has, bool exit)
    {
        string[] Args(params string[] names) => [.. names.Where(has).Select(n => "args->" + n)];
        if (qualifier == "derived")
        {
            // A quantity computed from sizes (the bytes wasted by rounding up): no field denotes it, so it stays undecided.
            return [];
        }

        if (exit)
        {
            return Args("ret");
        }

        return qualifier switch
        {
            // What a call returned is seen only on its return.
            "returned" => [],
            "requested" => Args("bytes_req", "count", "len", "size", "bytes"),
            "allocated" => Args("bytes_alloc", "bytes"),
            _ when hook.StartsWith("tracepoint:block:", StringComparison.Ordinal) => [.. Args("bytes"), "args->nr_sector * 512"],
            _ => Args("count", "len", "size", "bytes", "bytes_alloc", "bytes_req", "length"),
        };
    }
}
