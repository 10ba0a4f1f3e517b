// Reads a syscall's result through the entry record's struct.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_exit_openat") // EXPECT semantic "passes struct trace_event_raw_sys_exit"
int opened(struct trace_event_raw_sys_enter *ctx)
{
    return ctx->args[0] != 0;
}

char LICENSE[] SEC("license") = "GPL";
