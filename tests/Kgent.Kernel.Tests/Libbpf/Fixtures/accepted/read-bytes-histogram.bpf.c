// A log2 histogram of read() sizes, in an array map indexed by the bucket, with a bounded loop.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define BUCKETS 32

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, BUCKETS);
    __type(key, u32);
    __type(value, u64);
} sizes SEC(".maps");

SEC("tp/syscalls/sys_exit_read")
int on_read(struct trace_event_raw_sys_exit *ctx)
{
    long ret = ctx->ret;
    if (ret <= 0)
        return 0;
    u32 bucket = 0;
    for (int i = 0; i < BUCKETS - 1; i++) {
        if ((ret >> i) <= 1)
            break;
        bucket++;
    }
    u64 *count = bpf_map_lookup_elem(&sizes, &bucket);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
