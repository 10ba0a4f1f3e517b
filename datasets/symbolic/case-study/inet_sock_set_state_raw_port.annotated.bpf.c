// WRONG ON PURPOSE: the case study in libbpf C, reading the destination port from the socket itself, where it is in
// network byte order, instead of the tracepoint's host-order ctx->dport. Kgent's symbolic verifier refutes the assert
// on its line (kgent symbex inet_sock_set_state_raw_port.annotated.bpf.c) with the values that show the swapped bytes.
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
    __u16 dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
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
