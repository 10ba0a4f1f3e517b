// block-operation-types: count block requests by operation type (the rwbs flags: R, W, WS, D, F...).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct rwbs_key {
    char rwbs[10];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, struct rwbs_key);
    __type(value, u64);
} by_type SEC(".maps");

SEC("tp/block/block_rq_issue")
int on_issue(struct trace_event_raw_block_rq *ctx)
{
    struct rwbs_key key = {};
    u64 one = 1, *count;

    bpf_probe_read_kernel_str(&key.rwbs, sizeof(key.rwbs), ctx->rwbs);
    count = bpf_map_lookup_elem(&by_type, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&by_type, &key, &one, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
