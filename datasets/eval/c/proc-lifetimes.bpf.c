// proc-lifetimes: how long each process lived, from fork to exit, in milliseconds, with its name.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, u32);
    __type(value, u64);
} born SEC(".maps");

struct event {
    char comm[16];
    u64 ms;
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tp/sched/sched_process_fork")
int on_fork(struct trace_event_raw_sched_process_fork *ctx)
{
    u32 child = ctx->child_pid;
    u64 now = bpf_ktime_get_ns();
    bpf_map_update_elem(&born, &child, &now, BPF_ANY);
    return 0;
}

SEC("tp/sched/sched_process_exit")
int on_exit(struct trace_event_raw_sched_process_exit *ctx)
{
    u32 pid = ctx->pid;
    u64 *start = bpf_map_lookup_elem(&born, &pid);
    if (!start)
        return 0;
    u64 lived = bpf_ktime_get_ns() - *start;
    bpf_map_delete_elem(&born, &pid);
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_get_current_comm(&e->comm, sizeof(e->comm)); // the exiting task is the current one
    e->ms = lived / 1000000;
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
