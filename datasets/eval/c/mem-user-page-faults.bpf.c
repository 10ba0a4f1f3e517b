// mem-user-page-faults: count user-space page faults per process name.
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
} faults SEC(".maps");

static __always_inline int count_current(void)
{
    struct comm_key key = {};
    u64 one = 1, *count;

    bpf_get_current_comm(&key.comm, sizeof(key.comm));
    count = bpf_map_lookup_elem(&faults, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&faults, &key, &one, BPF_NOEXIST);
    return 0;
}

SEC("tp/exceptions/page_fault_user")
int on_fault(struct trace_event_raw_exceptions *ctx)
{
    return count_current();
}

char LICENSE[] SEC("license") = "GPL";
