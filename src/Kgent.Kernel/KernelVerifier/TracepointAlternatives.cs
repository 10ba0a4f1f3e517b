using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>Tracepoints to use instead of a kernel function when this kernel cannot attach kprobes: a few well-known
/// equivalents, then tracepoints whose event names share the function's significant words.</summary>
public static class TracepointAlternatives
{
    private static readonly Dictionary<string, string[]> KnownEquivalents = new(StringComparer.Ordinal)
    {
        ["tcp_connect"] = ["sock:inet_sock_set_state"],
        ["tcp_v4_connect"] = ["sock:inet_sock_set_state", "syscalls:sys_enter_connect"],
        ["tcp_v6_connect"] = ["sock:inet_sock_set_state", "syscalls:sys_enter_connect"],
        ["inet_csk_accept"] = ["sock:inet_sock_set_state", "syscalls:sys_exit_accept4"],
        ["tcp_set_state"] = ["sock:inet_sock_set_state"],
        ["tcp_close"] = ["sock:inet_sock_set_state"],
        ["tcp_retransmit_skb"] = ["tcp:tcp_retransmit_skb"],
        ["tcp_drop"] = ["skb:kfree_skb"],
        ["vfs_read"] = ["syscalls:sys_enter_read", "syscalls:sys_exit_read"],
        ["vfs_write"] = ["syscalls:sys_enter_write", "syscalls:sys_exit_write"],
        ["vfs_open"] = ["syscalls:sys_enter_openat"],
        ["do_sys_open"] = ["syscalls:sys_enter_openat"],
        ["do_sys_openat2"] = ["syscalls:sys_enter_openat", "syscalls:sys_enter_openat2"],
        ["vfs_unlink"] = ["syscalls:sys_enter_unlinkat"],
        ["vfs_fsync"] = ["syscalls:sys_enter_fsync"],
        ["__kmalloc"] = ["kmem:kmalloc"],
        ["__kmalloc_noprof"] = ["kmem:kmalloc"],
        ["kmem_cache_alloc"] = ["kmem:kmem_cache_alloc"],
        ["kfree"] = ["kmem:kfree"],
        ["blk_account_io_start"] = ["block:block_rq_insert", "block:block_io_start"],
        ["blk_mq_start_request"] = ["block:block_rq_issue"],
        ["blk_account_io_done"] = ["block:block_rq_complete"],
        ["submit_bio"] = ["block:block_bio_queue"],
        ["wake_up_new_task"] = ["sched:sched_wakeup_new"],
        ["do_exit"] = ["sched:sched_process_exit"],
        ["kernel_clone"] = ["sched:sched_process_fork", "task:task_newtask"],
        ["try_to_wake_up"] = ["sched:sched_wakeup"],
        ["schedule"] = ["sched:sched_switch"],
        ["oom_kill_process"] = ["oom:mark_victim"],
        ["handle_mm_fault"] = ["exceptions:page_fault_user", "exceptions:page_fault_kernel"],
    };

    private static readonly HashSet<string> Noise = ["do", "sys", "x64", "ia32", "the", "and", "to", "fn", "noprof", "common"];

    /// <summary>Up to <paramref name="limit"/> tracepoints (as <c>tracepoint:CATEGORY:EVENT</c>) for a kernel function.</summary>
    public static IReadOnlyList<string> For(string function, ProbeCatalog catalog, int limit = 5)
    {
        var result = new List<string>();
        if (KnownEquivalents.TryGetValue(function, out var known))
        {
            result.AddRange(known.Where(name => name.Split(':') is [var c, var e] && catalog.FindTracepoint(c, e) is not null).Select(n => "tracepoint:" + n));
        }

        var words = function.Split('_', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 2 && !Noise.Contains(w)).ToList();
        if (words.Count > 0 && result.Count == 0)
        {
            var scored = catalog.Tracepoints
                .Select(t => (Name: "tracepoint:" + t.Name, Score: words.Count(w => t.Event.Contains(w, StringComparison.Ordinal)) * 2
                    + words.Count(w => t.Category.Contains(w, StringComparison.Ordinal))))
                .Where(t => t.Score >= Math.Min(3, words.Count + 1))
                .OrderByDescending(t => t.Score)
                .ThenBy(t => t.Name, StringComparer.Ordinal);
            result.AddRange(scored.Select(t => t.Name));
        }

        return [.. result.Distinct(StringComparer.Ordinal).Take(limit)];
    }
}
