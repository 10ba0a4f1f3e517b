// Copies as many bytes of the user buffer as the syscall asked to write: a size the verifier cannot bound.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_write")
int peek(struct trace_event_raw_sys_enter *ctx)
{
    char buf[64];
    long size = (long)ctx->args[2];
    bpf_probe_read_user(buf, size, (const void *)ctx->args[1]); // EXPECT kernel-verifier "R2"
    return buf[0];
}

char LICENSE[] SEC("license") = "GPL";
