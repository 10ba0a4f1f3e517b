// files-read-bytes-total: the bytes read() returns, added up per process name.
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
} bytes SEC(".maps");

SEC("tp/syscalls/sys_exit_read")
int on_read_exit(struct trace_event_raw_sys_exit *ctx)
{
    long ret = ctx->ret;
    if (ret <= 0)
        return 0;
    struct comm_key key = {};
    u64 *total;
    bpf_get_current_comm(&key.comm, sizeof(key.comm));
    total = bpf_map_lookup_elem(&bytes, &key);
    if (total) {
        __sync_fetch_and_add(total, ret);
    } else {
        u64 first = ret;
        bpf_map_update_elem(&bytes, &key, &first, BPF_NOEXIST);
    }
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
