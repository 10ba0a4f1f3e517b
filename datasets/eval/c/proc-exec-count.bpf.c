// proc-exec-count: how many times each program file is started.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct file_key {
    char filename[128];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, struct file_key);
    __type(value, u64);
} launches SEC(".maps");

SEC("tp/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec *ctx)
{
    struct file_key key = {};
    u64 one = 1, *count;
    unsigned short offset = ctx->__data_loc_filename & 0xFFFF;

    bpf_probe_read_kernel_str(&key.filename, sizeof(key.filename), (void *)ctx + offset);
    count = bpf_map_lookup_elem(&launches, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&launches, &key, &one, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
