// proc-signals-sent: every signal sent, with the sender's name, the target process and the signal number.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event {
    char comm[16];
    u32 pid;
    u32 sig;
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tp/signal/signal_generate")
int on_signal(struct trace_event_raw_signal_generate *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    e->pid = ctx->pid;
    e->sig = ctx->sig;
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
