// sched-slice-lengths: how long tasks run on a CPU before they are switched out, as a histogram in microseconds.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

// When the current task got its CPU (one slot per CPU).
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} oncpu SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 64);
    __type(key, u32);
    __type(value, u64);
} slice_us_hist SEC(".maps");

static __always_inline u32 log2_slot(u64 value)
{
    u32 slot = 0;
    for (int i = 0; i < 63 && value; i++) {
        value >>= 1;
        slot++;
    }
    return slot;
}

SEC("tp/sched/sched_switch")
int on_switch(struct trace_event_raw_sched_switch *ctx)
{
    u32 zero = 0;
    u64 now = bpf_ktime_get_ns();
    u64 *since = bpf_map_lookup_elem(&oncpu, &zero);
    if (!since)
        return 0;
    if (*since) {
        u32 slot = log2_slot((now - *since) / 1000);
        u64 *count = bpf_map_lookup_elem(&slice_us_hist, &slot);
        if (count)
            __sync_fetch_and_add(count, 1);
    }
    *since = now;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
