// block-request-service-time: how long block requests take from issue to completion, as a histogram in microseconds.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct request_key {
    u64 dev;
    u64 sector;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, struct request_key);
    __type(value, u64);
} issued SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 64);
    __type(key, u32);
    __type(value, u64);
} service_us_hist SEC(".maps");

static __always_inline u32 log2_slot(u64 value)
{
    u32 slot = 0;
    for (int i = 0; i < 63 && value; i++) {
        value >>= 1;
        slot++;
    }
    return slot;
}

SEC("tp/block/block_rq_issue")
int on_issue(struct trace_event_raw_block_rq *ctx)
{
    struct request_key key = { .dev = ctx->dev, .sector = ctx->sector };
    u64 now = bpf_ktime_get_ns();
    bpf_map_update_elem(&issued, &key, &now, BPF_ANY);
    return 0;
}

SEC("tp/block/block_rq_complete")
int on_complete(struct trace_event_raw_block_rq_completion *ctx)
{
    struct request_key key = { .dev = ctx->dev, .sector = ctx->sector };
    u64 *start = bpf_map_lookup_elem(&issued, &key);
    if (!start)
        return 0;
    u32 slot = log2_slot((bpf_ktime_get_ns() - *start) / 1000);
    bpf_map_delete_elem(&issued, &key);
    u64 *count = bpf_map_lookup_elem(&service_us_hist, &slot);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
