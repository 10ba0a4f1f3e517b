// Treats a ring buffer like a hash map.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int exec_event(void *ctx)
{
    u32 key = 0, pid = bpf_get_current_pid_tgid() >> 32;
    bpf_map_update_elem(&events, &key, &pid, BPF_ANY); // EXPECT kernel-verifier "invalid zero-sized read"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
