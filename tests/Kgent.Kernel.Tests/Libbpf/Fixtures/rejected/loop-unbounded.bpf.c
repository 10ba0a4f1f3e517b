// Sums up to the write's byte count in a loop the verifier cannot see end.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_write")
int spin(struct trace_event_raw_sys_enter *ctx)
{
    u64 n = ctx->args[2];
    volatile u64 sum = 0;
    for (u64 i = 0; i < n; i++) {
        sum += i; // EXPECT kernel-verifier "BPF program is too large"
    }
    return sum != 0;
}

char LICENSE[] SEC("license") = "GPL";
