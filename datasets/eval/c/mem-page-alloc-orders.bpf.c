// mem-page-alloc-orders: a histogram of the orders (0 = one page) of page allocations.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

// Kgent reads an array map named *lhist* as a linear histogram: slot k holds the value k.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 11);
    __type(key, u32);
    __type(value, u64);
} order_lhist SEC(".maps");

SEC("tp/kmem/mm_page_alloc")
int on_event(struct trace_event_raw_mm_page_alloc *ctx)
{
    u32 slot = ctx->order;
    if (slot >= 11)
        slot = 11 - 1;
    u64 *count = bpf_map_lookup_elem(&order_lhist, &slot);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
