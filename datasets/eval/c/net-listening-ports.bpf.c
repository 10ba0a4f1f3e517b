// net-listening-ports: the port of every socket that starts listening, with the process.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define TCP_LISTEN 10

struct event {
    char comm[16];
    u16 sport;
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tp/sock/inet_sock_set_state")
int on_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
    if (ctx->newstate != TCP_LISTEN)
        return 0;
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    e->sport = ctx->sport;
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
