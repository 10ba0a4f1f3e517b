// sched-switches-per-cpu: count context switches per CPU.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u32);
    __type(value, u64);
} per_cpu SEC(".maps");

SEC("tp/sched/sched_switch")
int on_switch(struct trace_event_raw_sched_switch *ctx)
{
    u32 cpu = bpf_get_smp_processor_id();
    u64 one = 1, *count = bpf_map_lookup_elem(&per_cpu, &cpu);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&per_cpu, &cpu, &one, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
