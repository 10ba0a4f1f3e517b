// Changes a read-only configuration value from the program.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile u64 threshold = 10;

SEC("tp/syscalls/sys_enter_read")
int adjust(struct trace_event_raw_sys_enter *ctx)
{
    *(volatile u64 *)&threshold = ctx->args[2]; // EXPECT kernel-verifier "write into map forbidden"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
