// Indexes a per-slot histogram in a map value with the file descriptor, unchecked.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct slots {
    u64 count[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct slots);
} hist SEC(".maps");

SEC("tp/syscalls/sys_enter_close")
int by_fd(struct trace_event_raw_sys_enter *ctx)
{
    u32 key = 0;
    u64 fd = ctx->args[0];
    struct slots *s = bpf_map_lookup_elem(&hist, &key);
    if (!s)
        return 0;
    s->count[fd] += 1; // EXPECT kernel-verifier "math between map_value pointer and register with unbounded min value"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
