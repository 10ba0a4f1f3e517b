// Reads 128 bytes of a file name into a 16-byte buffer on the stack.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_openat")
int name_prefix(struct trace_event_raw_sys_enter *ctx)
{
    char name[16];
    char *dst = name;
    bpf_probe_read_user_str(dst, 128, (const char *)ctx->args[1]); // EXPECT kernel-verifier "invalid write to stack"
    return name[0];
}

char LICENSE[] SEC("license") = "GPL";
