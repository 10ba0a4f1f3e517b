// net-connect-destination-ports: the destination port of every outgoing TCP connection (host byte order), with the process.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define TCP_SYN_SENT 2

struct event {
    char comm[16];
    u16 dport;
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tp/sock/inet_sock_set_state")
int on_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
    if (ctx->newstate != TCP_SYN_SENT)
        return 0;
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    e->dport = ctx->dport; // the tracepoint already holds it in host byte order
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
