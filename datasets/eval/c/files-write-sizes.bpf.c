// files-write-sizes: a power-of-two histogram of the sizes passed to write().
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 64);
    __type(key, u32);
    __type(value, u64);
} size_hist SEC(".maps");

static __always_inline u32 log2_slot(u64 value)
{
    u32 slot = 0;
    for (int i = 0; i < 63 && value; i++) {
        value >>= 1;
        slot++;
    }
    return slot;
}

SEC("tp/syscalls/sys_enter_write")
int on_write(struct trace_event_raw_sys_enter *ctx)
{
    u32 slot = log2_slot(ctx->args[2]);
    u64 *count = bpf_map_lookup_elem(&size_hist, &slot);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
