// sys-read-latency: how long read() calls take, as a histogram in microseconds.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, u32);
    __type(value, u64);
} entered SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 64);
    __type(key, u32);
    __type(value, u64);
} read_us_hist SEC(".maps");

static __always_inline u32 log2_slot(u64 value)
{
    u32 slot = 0;
    for (int i = 0; i < 63 && value; i++) {
        value >>= 1;
        slot++;
    }
    return slot;
}

SEC("tp/syscalls/sys_enter_read")
int on_enter(struct trace_event_raw_sys_enter *ctx)
{
    u32 tid = (u32)bpf_get_current_pid_tgid();
    u64 now = bpf_ktime_get_ns();
    bpf_map_update_elem(&entered, &tid, &now, BPF_ANY);
    return 0;
}

SEC("tp/syscalls/sys_exit_read")
int on_exit(struct trace_event_raw_sys_exit *ctx)
{
    u32 tid = (u32)bpf_get_current_pid_tgid();
    u64 *start = bpf_map_lookup_elem(&entered, &tid);
    if (!start)
        return 0;
    u32 slot = log2_slot((bpf_ktime_get_ns() - *start) / 1000);
    bpf_map_delete_elem(&entered, &tid);
    u64 *count = bpf_map_lookup_elem(&read_us_hist, &slot);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
