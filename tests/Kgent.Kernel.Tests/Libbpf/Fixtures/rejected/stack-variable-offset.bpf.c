// Indexes a stack array with an unchecked value from the syscall.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_read")
int pick(struct trace_event_raw_sys_enter *ctx)
{
    volatile u64 table[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    u64 i = ctx->args[0];
    return table[i]; // EXPECT kernel-verifier "math between fp pointer and register with unbounded min value"
}

char LICENSE[] SEC("license") = "GPL";
