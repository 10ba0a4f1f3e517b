// net-drop-reasons: count dropped packets by the kernel's drop reason.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u32);
    __type(value, u64);
} drops SEC(".maps");

SEC("tp/skb/kfree_skb")
int on_drop(struct trace_event_raw_kfree_skb *ctx)
{
    u32 reason = ctx->reason;
    u64 one = 1, *count = bpf_map_lookup_elem(&drops, &reason);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&drops, &reason, &one, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
