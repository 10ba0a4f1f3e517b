// mem-kmalloc-by-process: the bytes requested from kmalloc(), added up per process name.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct comm_key {
    char comm[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, struct comm_key);
    __type(value, u64);
} requested SEC(".maps");

SEC("tp/kmem/kmalloc")
int on_kmalloc(struct trace_event_raw_kmalloc *ctx)
{
    struct comm_key key = {};
    u64 bytes = ctx->bytes_req, *total;

    bpf_get_current_comm(&key.comm, sizeof(key.comm));
    total = bpf_map_lookup_elem(&requested, &key);
    if (total)
        __sync_fetch_and_add(total, bytes);
    else
        bpf_map_update_elem(&requested, &key, &bytes, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
