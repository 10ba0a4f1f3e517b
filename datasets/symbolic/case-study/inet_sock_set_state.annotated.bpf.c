// The case study in libbpf C: TCP connection attempts from the sock:inet_sock_set_state tracepoint, whose record
// already holds the ports in host byte order. assert(...) compiles to nothing for the kernel; Kgent's symbolic
// verifier proves it (kgent symbex inet_sock_set_state.annotated.bpf.c) from the tracepoint's contract.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#define AF_INET 2

struct event {
    char comm[16];
    __u32 pid;
    __u16 sport;
    __u16 dport;
};

// Names the record's type in the object's BTF, so Kgent prints each record by its fields.
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
    struct sock *sk = (struct sock *)ctx->skaddr;
    __u16 dport = ctx->dport;
    assert(dport == bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport)));
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    e->pid = bpf_get_current_pid_tgid() >> 32;
    e->sport = ctx->sport;
    e->dport = dport;
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
