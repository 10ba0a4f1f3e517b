// mem-mmap-lengths: the length of every mmap() request, with the process name.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event {
    char comm[16];
    u64 len;
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tp/syscalls/sys_enter_mmap")
int on_call(struct trace_event_raw_sys_enter *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    e->len = ctx->args[1];
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
