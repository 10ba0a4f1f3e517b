// Reads the third u64 of a map value that holds one.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} total SEC(".maps");

SEC("tp/syscalls/sys_enter_read")
int read_total(struct trace_event_raw_sys_enter *ctx)
{
    u32 key = 0;
    u64 *value = bpf_map_lookup_elem(&total, &key);
    if (!value)
        return 0;
    return value[2] > 0; // EXPECT kernel-verifier "R0 min value is outside of the allowed memory range"
}

char LICENSE[] SEC("license") = "GPL";
