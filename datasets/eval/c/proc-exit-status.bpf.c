// proc-exit-status: the status every process exits with, with its name.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event {
    char comm[16];
    u64 code;
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tp/syscalls/sys_enter_exit_group")
int on_call(struct trace_event_raw_sys_enter *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    e->code = ctx->args[0];
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
