// sys-failures-by-process: count failed system calls (negative returns) per process name.
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
} failed SEC(".maps");

SEC("tp/raw_syscalls/sys_exit")
int on_exit(struct trace_event_raw_sys_exit *ctx)
{
    if (ctx->ret >= 0)
        return 0;
    struct comm_key key = {};
    u64 one = 1, *count;
    bpf_get_current_comm(&key.comm, sizeof(key.comm));
    count = bpf_map_lookup_elem(&failed, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&failed, &key, &one, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
