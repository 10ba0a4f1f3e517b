// proc-new-programs: every program started (exec), with the process id and the file it runs.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event {
    u32 pid;
    char filename[256];
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    unsigned short offset = ctx->__data_loc_filename & 0xFFFF;
    e->pid = bpf_get_current_pid_tgid() >> 32;
    bpf_probe_read_kernel_str(&e->filename, sizeof(e->filename), (void *)ctx + offset);
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
