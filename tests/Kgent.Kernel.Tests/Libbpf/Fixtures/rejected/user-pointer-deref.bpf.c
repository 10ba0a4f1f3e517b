// The file name a process opens, read straight through the user pointer instead of with bpf_probe_read_user_str().
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_openat")
int first_char(struct trace_event_raw_sys_enter *ctx)
{
    const char *filename = (const char *)ctx->args[1];
    return filename[0]; // EXPECT kernel-verifier "invalid mem access 'scalar'"
}

char LICENSE[] SEC("license") = "GPL";
