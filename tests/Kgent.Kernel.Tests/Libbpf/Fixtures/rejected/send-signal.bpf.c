// Kills every process that opens a file: refused unless bpf_send_signal is allowed by name.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_openat")
int kill_openers(struct trace_event_raw_sys_enter *ctx)
{
    bpf_send_signal(9); // EXPECT policy "bpf_send_signal sends a signal"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
