// Reads a field the syscall tracepoint's record does not have (its arguments are in args[]).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_openat")
int opened(struct trace_event_raw_sys_enter *ctx)
{
    return ctx->filename != 0; // EXPECT semantic "no member named 'filename'"
}

char LICENSE[] SEC("license") = "GPL";
