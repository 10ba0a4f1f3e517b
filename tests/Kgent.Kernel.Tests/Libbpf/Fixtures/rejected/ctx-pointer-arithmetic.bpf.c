// Steps through the tracepoint's record with a variable offset.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_read")
int walk(struct trace_event_raw_sys_enter *ctx)
{
    u64 i = bpf_get_prandom_u32() & 3;
    return ctx->args[i] != 0; // EXPECT kernel-verifier "ctx"
}

char LICENSE[] SEC("license") = "GPL";
