// Sends an event with bpf_perf_event_output into a hash map instead of a perf event array.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, u32);
    __type(value, u32);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int exec_event(void *ctx)
{
    u32 pid = bpf_get_current_pid_tgid() >> 32;
    bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &pid, sizeof(pid)); // EXPECT kernel-verifier "cannot pass map_type 1"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
