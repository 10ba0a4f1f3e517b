// A misspelt tracepoint in the section name.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_opnat") // EXPECT semantic "no tracepoint syscalls:sys_enter_opnat"
int opened(struct trace_event_raw_sys_enter *ctx)
{
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
