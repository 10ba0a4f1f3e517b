// files-open-failures: file opens that fail, with the error (a negative errno) and the process that tried.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event {
    char comm[16];
    long ret;
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tp/syscalls/sys_exit_openat")
int on_openat_exit(struct trace_event_raw_sys_exit *ctx)
{
    if (ctx->ret >= 0)
        return 0;
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    e->ret = ctx->ret;
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
