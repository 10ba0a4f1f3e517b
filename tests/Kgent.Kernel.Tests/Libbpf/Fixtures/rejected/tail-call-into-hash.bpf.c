// Tail-calls through a hash map instead of a program array.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 8);
    __type(key, u32);
    __type(value, u32);
} jumps SEC(".maps");

SEC("tp/sched/sched_process_exec")
int dispatch(void *ctx)
{
    bpf_tail_call(ctx, &jumps, 0); // EXPECT kernel-verifier "expected prog array map for tail call"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
