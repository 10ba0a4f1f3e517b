// Tries to change the syscall's argument in the tracepoint's record, which is read-only to the program.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_write")
int clobber(struct trace_event_raw_sys_enter *ctx)
{
    ctx->args[2] = 0; // EXPECT kernel-verifier "invalid bpf_context access"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
