// mem-kmalloc-sizes: a power-of-two histogram of the bytes kmalloc() hands out.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

// Kgent reads an array map named *hist* as a histogram: slot 0 holds 0, slot k the values 2^(k-1) .. 2^k - 1.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 64);
    __type(key, u32);
    __type(value, u64);
} alloc_bytes_hist SEC(".maps");

static __always_inline u32 log2_slot(u64 value)
{
    u32 slot = 0;
    for (int i = 0; i < 63 && value; i++) {
        value >>= 1;
        slot++;
    }
    return slot;
}

SEC("tp/kmem/kmalloc")
int on_event(struct trace_event_raw_kmalloc *ctx)
{
    u32 slot = log2_slot(ctx->bytes_alloc);
    u64 *count = bpf_map_lookup_elem(&alloc_bytes_hist, &slot);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
