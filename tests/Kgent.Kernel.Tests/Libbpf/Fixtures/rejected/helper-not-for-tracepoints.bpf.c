// Looks up a TCP socket from a tracepoint, where the socket-lookup helpers are not available.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_connect")
int lookup(struct trace_event_raw_sys_enter *ctx)
{
    struct bpf_sock_tuple tuple = {};
    struct bpf_sock *sk = bpf_sk_lookup_tcp(ctx, &tuple, sizeof(tuple.ipv4), -1, 0); // EXPECT kernel-verifier "program of this type cannot use helper bpf_sk_lookup_tcp"
    if (sk)
        bpf_sk_release(sk);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
