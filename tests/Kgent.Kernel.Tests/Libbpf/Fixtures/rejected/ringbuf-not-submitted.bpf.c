// Reserves ring buffer space for an event and forgets to submit it: the verifier stops at the function's exit (its closing brace).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event {
    u32 pid;
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int exec_event(void *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    e->pid = bpf_get_current_pid_tgid() >> 32;
    return 0;
} // EXPECT kernel-verifier "reference leak"

char LICENSE[] SEC("license") = "GPL";
