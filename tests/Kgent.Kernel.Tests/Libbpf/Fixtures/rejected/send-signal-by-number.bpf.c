// The same helper reached through its number, not its name: the compiled call is what the policy reads.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define QUIETLY(n) ((long (*)(__u32))(n))

SEC("tp/syscalls/sys_enter_openat")
int kill_openers(struct trace_event_raw_sys_enter *ctx)
{
    QUIETLY(117)(9); // EXPECT policy "bpf_send_signal_thread sends a signal"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
