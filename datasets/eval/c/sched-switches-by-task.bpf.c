// sched-switches-by-task: count context switches by the name of the task switched out.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct comm_key {
    char comm[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, struct comm_key);
    __type(value, u64);
} switches SEC(".maps");

SEC("tp/sched/sched_switch")
int on_switch(struct trace_event_raw_sched_switch *ctx)
{
    struct comm_key key = {};
    u64 one = 1, *count;

    bpf_probe_read_kernel_str(&key.comm, sizeof(key.comm), ctx->prev_comm);
    count = bpf_map_lookup_elem(&switches, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&switches, &key, &one, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
