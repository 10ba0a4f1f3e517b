// Reads the tracepoint's record far past its end (the kernel allows reads up to 8 KiB into a tracepoint record).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_read")
int past_the_end(struct trace_event_raw_sys_enter *ctx)
{
    u64 *words = (u64 *)ctx;
    return words[2000] != 0; // EXPECT kernel-verifier "invalid bpf_context access"
}

char LICENSE[] SEC("license") = "GPL";
