using System.Collections.Immutable;

namespace Kgent.Kernel.Intent;

/// <summary>The offline reader's own vocabulary of events: English words to the hooks of a Linux kernel that observe
/// them. Where glibc and the core utilities reach one event through several system calls (unlink() and rm: unlink and
/// unlinkat; rename() and mv: rename and renameat2; pipe() and pipe2(); sleep: clock_nanosleep) those calls are
/// required of a program that observes the event at the system-call level. Written for Kgent (not shared with the offline synthesizer, so a wrong entry there is not silently agreed with
/// here). Equivalent hooks are listed together (<c>open</c>, <c>openat</c>, <c>openat2</c>), and a hook that also fires
/// for other things carries the condition that selects the event (<c>inet_sock_set_state</c> with
/// <c>args->newstate == TCP_SYN_SENT</c> is a connection attempt). Higher <see cref="EventSense.Priority"/> wins when
/// senses overlap ("page fault in user space" over "page fault").</summary>
internal static class IntentVocabulary
{
    private const string Tcp = "tracepoint:sock:inet_sock_set_state";

    /// <summary>Whether a hook is one a program observing its event at that level must attach to (see <see cref="IntentHook.Required"/>).</summary>
    public static bool IsRequired(string attachPoint) => RequiredHooks.Value.Contains(attachPoint);

    private static readonly Lazy<HashSet<string>> RequiredHooks = new(() =>
        [.. Events.SelectMany(e => e.Entry.Concat(e.Exit)).Where(h => h.Required).Select(h => h.AttachPoint)]);

    public static ImmutableArray<EventSense> Events { get; } =
    [
        // Files.
        EventSense.Syscall("file open", @"open(?:s|ed|ing)?\b|openat", ["openat", "open", "openat2"], ["do_sys_openat2", "vfs_open"], ["do_sys_openat2"]),
        EventSense.Syscall("read", @"(?<!(?:disk|block|device|i/o)\s+)reads?\b(?!\s+from the disk)|read\s*\(|reading\b", ["read", "pread64", "readv"], ["vfs_read", "ksys_read"], ["vfs_read"]),
        EventSense.Syscall("write", @"writes?\b|write\s*\(|writing\b|written\b", ["write", "pwrite64", "writev"], ["vfs_write", "ksys_write"], ["vfs_write"]),
        EventSense.Syscall("close", @"clos(?:e|es|ed|ing)\b(?!\s+(?:a\s+)?(?:tcp|socket|connection))", ["close"]),
        // "Deletion" of a file, not of a namespace or a timer: a file word must be near.
        EventSense.Syscall("file deletion", @"files?\b[^.]{0,40}?\bdelet(?:e|es|ed|ing|ion)|delet(?:e|es|ed|ing|ion)\b[^.]{0,40}?\bfiles?\b|unlink|remov(?:e|es|ed|ing)\s+(?:a\s+|the\s+)?files?", ["unlinkat", "unlink"], ["vfs_unlink", "do_unlinkat"], required: ["unlinkat", "unlink"]),
        EventSense.Syscall("rename", @"renam(?:e|es|ed|ing)", ["renameat2", "renameat", "rename"], ["vfs_rename"], required: ["renameat2", "rename"]),
        EventSense.Syscall("directory creation", @"director(?:y|ies)\s+(?:creat|made|make)|mkdir|new\s+director|creat\w*\s+(?:a\s+|new\s+)?director", ["mkdirat", "mkdir"], ["vfs_mkdir"], priority: 1, required: ["mkdir"]),
        EventSense.Syscall("fsync", @"f(?:data)?sync", ["fsync", "fdatasync"], ["vfs_fsync"], priority: 1),
        EventSense.Syscall("directory change", @"change\s+into|chdir|changes?\s+(?:the\s+|their\s+)?(?:working\s+)?director|working\s+director", ["chdir", "fchdir"], priority: 2),
        EventSense.Syscall("stat", @"\bstat(?:s|x)?\b", ["newstat", "statx", "newfstatat", "newlstat"], required: []),
        EventSense.Syscall("pipe creation", @"pipes?\b", ["pipe2", "pipe"], priority: 1, required: ["pipe2", "pipe"]),
        EventSense.Syscall("mmap", @"mmap", ["mmap"], priority: 1),
        EventSense.Syscall("heap growth", @"\bbrk\b|heap\s+grow", ["brk"], priority: 1),
        EventSense.Syscall("sleep", @"(?:clock_)?nanosleep|sleeps?\b|sleeping", ["nanosleep", "clock_nanosleep"], ["do_nanosleep"], required: ["clock_nanosleep"]),
        EventSense.Syscall("socket receive", @"recv(?:from|msg|mmsg)\b", ["recvfrom", "recvmsg", "recvmmsg"], priority: 2),
        EventSense.Syscall("socket send", @"send(?:to|msg|mmsg)\b", ["sendto", "sendmsg", "sendmmsg"], priority: 2),
        EventSense.Syscall("socket shutdown", @"shut(?:s|ting)?\s+(?:\w+\s+){0,2}down|shutdown", ["shutdown"], priority: 2),
        EventSense.Syscall("socket creation", @"socket\s+creat|creat\w*\s+(?:a\s+)?sockets?|new\s+sockets?", ["socket"], priority: 1),

        // Processes.
        // "executed" alone is too general ("workqueue items executed"): a program, command or binary must be what runs.
        EventSense.Hooks("program start", @"exec(?:s|ve|veat)?\b|execut\w*\s+(?:(?:a|the|new)\s+)?(?:commands?|programs?|binar\w+|files?)|(?:commands?|programs?|binar\w+)\s+(?:\w+\s+){0,2}execut\w*|starts?\s+running|(?:gets?\s+)?launch(?:ed|es)?|new\s+programs?|programs?\s+(?:that\s+)?start",
            [new("tracepoint:sched:sched_process_exec"), new("tracepoint:syscalls:sys_enter_execve"), new("tracepoint:syscalls:sys_enter_execveat"),
             new("tracepoint:syscalls:sys_exit_execve"), new("tracepoint:syscalls:sys_exit_execveat")]),
        EventSense.Hooks("process creation", @"forks?\b|forked|forking|clones?\b|spawn|new\s+process(?!\s+(?:names?|ids?|pids?)\b)(?:es)?|creat\w*\s+(?:a\s+)?process",
            [new("tracepoint:sched:sched_process_fork"), new("tracepoint:syscalls:sys_exit_clone"), new("tracepoint:syscalls:sys_exit_clone3"),
             new("tracepoint:syscalls:sys_exit_fork"), new("tracepoint:syscalls:sys_exit_vfork"), new("tracepoint:task:task_newtask"),
             new("kprobe:wake_up_new_task"), new("kretprobe:kernel_clone")], priority: 1),
        // A task is a thread or a process: task_newtask sees both being created.
        EventSense.Hooks("task creation", @"\bnew(?:ly)?\s+(?:created\s+)?tasks?\b(?!.*\bwoken\b)|\btasks?\s+(?:being\s+|are\s+|get\s+)?created\b",
            [new("tracepoint:task:task_newtask"), new("tracepoint:sched:sched_process_fork"), new("kprobe:wake_up_new_task")], priority: 2),
        EventSense.Hooks("process exit", @"exit(?:s|ed|ing)?\b|terminat|dies\b|process\s+end",
            [new("tracepoint:sched:sched_process_exit"), new("tracepoint:syscalls:sys_enter_exit_group"), new("tracepoint:syscalls:sys_enter_exit"),
             new("tracepoint:sched:sched_process_free"), new("kprobe:do_exit")]),
        EventSense.Hooks("signal", @"signals?\b|\bkill(?:s|ed|ing)?\b|sigkill|sigterm",
            [new("tracepoint:signal:signal_generate"), new("tracepoint:signal:signal_deliver"), new("tracepoint:syscalls:sys_enter_kill"),
             new("tracepoint:syscalls:sys_enter_tgkill"), new("tracepoint:syscalls:sys_enter_tkill")]),
        EventSense.Hooks("task rename", @"(?:tasks?|process(?:es)?|threads?)\s+(?:that\s+)?(?:gets?\s+|are\s+|is\s+)?renam\w*|renam\w*\s+(?:a\s+|the\s+)?(?:tasks?|process(?:es)?|threads?)|comm\s+changes?|chang\w*\s+(?:their|its)\s+(?:own\s+)?names?",
            [new("tracepoint:task:task_rename")], priority: 2),
        EventSense.Hooks("OOM kill", @"\boom(?:\s+kill\w*)?|out[\s-]+of[\s-]+memory(?:\s+kill\w*)?",
            [new("tracepoint:oom:mark_victim"), new("kprobe:oom_kill_process")], priority: 2),

        // Scheduling.
        EventSense.Hooks("context switch", @"switch(?:es|ed|ing)?\b|context\s+switch|(?:off|on)\s+(?:the\s+|a\s+)?cpu|run\s+slice|oncpu|off-?cpu|get(?:s|ting)?\s+the\s+cpu|scheduled\s+in|\bto\s+running\b|(?:until|when)\s+it\s+(?:runs|gets\s+the\s+cpu)",
            [new("tracepoint:sched:sched_switch"), new("kprobe:finish_task_switch")]),
        EventSense.Hooks("task migration", @"migrat(?:es?|ed|ing|ions?)\b", [new("tracepoint:sched:sched_migrate_task")], priority: 1),
        EventSense.Hooks("new task wakeup", @"new(?:ly)?\s+(?:created\s+)?tasks?\b.*\bwoken|woken\s+(?:up\s+)?for\s+the\s+first\s+time|first\s+wake-?ups?",
            [new("tracepoint:sched:sched_wakeup_new"), new("kprobe:wake_up_new_task")], priority: 3),
        EventSense.Hooks("wakeup", @"wak(?:e|es|en|ing)\b|wakeups?|woken|wake-?ups?",
            [new("tracepoint:sched:sched_wakeup"), new("tracepoint:sched:sched_wakeup_new"), new("tracepoint:sched:sched_waking"), new("kprobe:try_to_wake_up")]),

        EventSense.Hooks("high-resolution timer start", @"high-resolution\s+timers?|\bhrtimers?\b",
            [new("tracepoint:timer:hrtimer_start")], priority: 2),
        EventSense.Hooks("timer start", @"timers?\s+(?:being\s+|are\s+|is\s+|gets?\s+)?(?:armed|started|set)\b",
            [new("tracepoint:timer:timer_start"), new("tracepoint:timer:hrtimer_start")], priority: 1),

        // Sampling: a timer on every CPU, not an event of the kernel's.
        EventSense.Hooks("CPU sampling", @"\bsampl(?:e|es|ed|ing)\b|\bprofil(?:e|es|ed|ing)\b|\b\d+\s*(?:hz|hertz)\b",
            [new("profile:*")], priority: 3),

        // Memory.
        EventSense.Hooks("kmalloc", @"kmalloc|kernel\s+(?:memory\s+)?allocation",
            [new("tracepoint:kmem:kmalloc"), new("tracepoint:kmem:kmalloc_node")], priority: 1),
        EventSense.Hooks("slab allocation", @"slab(?:\s+cache)?\s+alloc\w*|kmem_cache_alloc|cache\s+allocations?",
            [new("tracepoint:kmem:kmem_cache_alloc"), new("tracepoint:kmem:kmem_cache_alloc_node")], priority: 2),
        EventSense.Hooks("kfree", @"kfree|frees?\s+kernel\s+memory",
            [new("tracepoint:kmem:kfree")], priority: 1),
        EventSense.Hooks("page allocation", @"page\s+alloc|page\s+allocator|allocat\w*\s+pages",
            [new("tracepoint:kmem:mm_page_alloc")], priority: 2),
        EventSense.Hooks("user page fault", @"page\s+faults?\s+(?:taken\s+)?in\s+user|user(?:-|\s+)(?:space\s+)?page\s+faults?",
            [new("tracepoint:exceptions:page_fault_user")], priority: 3),
        EventSense.Hooks("kernel page fault", @"page\s+faults?\s+(?:taken\s+)?in\s+(?:the\s+)?kernel|kernel(?:-|\s+)page\s+faults?",
            [new("tracepoint:exceptions:page_fault_kernel")], priority: 3),
        EventSense.Hooks("page fault", @"page\s+faults?",
            [new("tracepoint:exceptions:page_fault_user"), new("tracepoint:exceptions:page_fault_kernel"), new("kprobe:handle_mm_fault")], priority: 2),

        // Block I/O.
        EventSense.Hooks("block request completion", @"(?:requests?|i/?o)\s+(?:\w+\s+){0,3}(?:finish|complet)|complet\w*\s+(?:block|disk|i/?o)|\bto\s+complet\w*",
            [new("tracepoint:block:block_rq_complete")], priority: 2),
        EventSense.Hooks("block request issue", @"handed\s+to\s+the\s+(?:device|driver|disk)|issu(?:e|es|ed|ing)\s+(?:to\s+the\s+)?(?:device|disk|driver)|\bissue\b|dispatch",
            [new("tracepoint:block:block_rq_issue"), new("kprobe:blk_mq_start_request")], priority: 2),
        EventSense.Hooks("bio submission", @"\bbios?\b|submit\w*\s+(?:block\s+)?i/?o|submitted",
            [new("tracepoint:block:block_bio_queue"), new("tracepoint:block:block_rq_insert"), new("tracepoint:block:block_rq_issue"),
             new("tracepoint:block:block_io_start"), new("kprobe:submit_bio")], priority: 1),
        EventSense.Hooks("block request", @"block\s+(?:i/?o|requests?|devices?)|disk\s+(?:i/?o|requests?)|storage\s+requests?|requests?\s+sent\s+to\s+the\s+disk|sent\s+to\s+the\s+disk|\bi/?o\s+requests?|rwbs",
            [new("tracepoint:block:block_rq_issue"), new("tracepoint:block:block_rq_insert"), new("tracepoint:block:block_rq_complete"),
             new("tracepoint:block:block_bio_queue"), new("tracepoint:block:block_io_start"), new("kprobe:blk_mq_start_request")]),

        // Networking.
        EventSense.Hooks("TCP connection attempt", @"connect(?:s|ed|ion\s+attempts?|ing)?\b(?!ions?\s+(?:to|per)\b)|outgoing\s+(?:tcp\s+)?connection",
            [new(Tcp, "args->newstate == 2"), new("tracepoint:syscalls:sys_enter_connect"), new("kprobe:tcp_connect"), new("kprobe:tcp_v4_connect"),
             new("kprobe:tcp_v6_connect")], priority: 1),
        // On the server side a connection is accepted when it goes from SYN_RECV (3) to ESTABLISHED (1).
        EventSense.Hooks("TCP accept", @"accept(?:s|ed|ing)?\b",
            [new("tracepoint:syscalls:sys_exit_accept"), new("tracepoint:syscalls:sys_exit_accept4"), new("kretprobe:inet_csk_accept"),
             new(Tcp, "args->oldstate == 3 && args->newstate == 1")], priority: 1),
        EventSense.Hooks("listen", @"listen(?:s|ing)?\b",
            [new(Tcp, "args->newstate == 10"), new("tracepoint:syscalls:sys_enter_listen"), new("kprobe:inet_listen")], priority: 1),
        EventSense.Hooks("TCP state change", @"state\s+(?:transitions?|changes?)|changes?\s+(?:of\s+)?(?:tcp\s+|socket\s+)?states?|(?:from|between)\s+(?:\w+\s+)?(?:established|syn_sent|syn_recv|close|listen)\w*\s+(?:to|and)\b",
            [new(Tcp), new("kprobe:tcp_set_state")], priority: 2),
        EventSense.Hooks("TCP retransmission", @"retransmi",
            [new("tracepoint:tcp:tcp_retransmit_skb"), new("kprobe:tcp_retransmit_skb")], priority: 2),
        EventSense.Hooks("packet transmission", @"transmi(?:t|ts|tted|ssion)|\bxmit|packets?\s+(?:sent|handed)|send(?:s|ing)?\s+packets?",
            [new("tracepoint:net:net_dev_xmit"), new("tracepoint:net:net_dev_queue"), new("tracepoint:net:net_dev_start_xmit"), new("kprobe:dev_queue_xmit")]),
        // "receive" alone is too general ("processes that receive SIGKILL"): packets, frames or the network must be what arrives.
        EventSense.Hooks("packet reception", @"(?:packets?|frames?|skbs?|network|nics?)\s+(?:\w+\s+){0,3}?(?:receiv\w*|arriv\w*)|receiv\w*\s+(?:network\s+)?(?:packets?|frames?|skbs?)|\brx\b|incoming\s+(?:network\s+)?packets?|netif",
            [new("tracepoint:net:netif_receive_skb"), new("tracepoint:net:netif_receive_skb_entry"), new("tracepoint:net:netif_rx"),
             new("tracepoint:net:napi_gro_receive_entry")]),
        EventSense.Hooks("packet drop", @"drop(?:s|ped|ping)?\b",
            [new("tracepoint:skb:kfree_skb")], priority: 1),

        // System calls as a whole.
        EventSense.Hooks("system call", @"system\s+calls?|syscalls?",
            [new("tracepoint:raw_syscalls:sys_enter"), new("tracepoint:raw_syscalls:sys_exit")]),

        // Interrupts.
        EventSense.Hooks("interrupt", @"interrupts?\b|\birqs?\b|hardirq",
            [new("tracepoint:irq:irq_handler_entry"), new("tracepoint:irq:irq_handler_exit")]),
        EventSense.Hooks("softirq", @"soft\s*irqs?",
            [new("tracepoint:irq:softirq_entry"), new("tracepoint:irq:softirq_exit")], priority: 1),
    ];
}
