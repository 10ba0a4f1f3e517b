// A section prefix libbpf does not know.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tracepont/syscalls/sys_enter_openat") // EXPECT semantic "is not a program type libbpf knows"
int opened(struct trace_event_raw_sys_enter *ctx)
{
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
