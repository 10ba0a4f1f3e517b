// net-tcp-state-transitions: every TCP state change, printed as "OLD -> NEW".
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define IPPROTO_TCP 6

// A record of one char[] is a line of text (what Kgent prints for it).
struct line {
    char text[32];
};

struct line *unused_line __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tp/sock/inet_sock_set_state")
int on_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
    if (ctx->protocol != IPPROTO_TCP)
        return 0;
    struct line *l = bpf_ringbuf_reserve(&events, sizeof(*l), 0);
    if (!l)
        return 0;
    BPF_SNPRINTF(l->text, sizeof(l->text), "%d -> %d", ctx->oldstate, ctx->newstate);
    bpf_ringbuf_submit(l, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
