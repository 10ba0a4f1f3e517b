// Counts context switches per CPU from the sched_switch raw tracepoint, in a per-CPU array.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} switches SEC(".maps");

SEC("raw_tp/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
    u32 key = 0;
    u64 *count = bpf_map_lookup_elem(&switches, &key);
    if (count)
        *count += 1;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
