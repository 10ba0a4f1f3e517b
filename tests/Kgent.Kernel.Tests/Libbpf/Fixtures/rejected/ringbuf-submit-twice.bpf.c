// Submits the same ring buffer record twice.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int exec_event(void *ctx)
{
    u32 *pid = bpf_ringbuf_reserve(&events, sizeof(*pid), 0);
    if (!pid)
        return 0;
    *pid = bpf_get_current_pid_tgid() >> 32;
    bpf_ringbuf_submit(pid, 0);
    bpf_ringbuf_submit(pid, 0); // EXPECT kernel-verifier "expected=ringbuf_mem"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
