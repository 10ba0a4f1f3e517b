// sched-wakeup-to-run: how long woken tasks wait before they run, as a histogram in microseconds.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, u32);
    __type(value, u64);
} queued SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 64);
    __type(key, u32);
    __type(value, u64);
} delay_us_hist SEC(".maps");

static __always_inline u32 log2_slot(u64 value)
{
    u32 slot = 0;
    for (int i = 0; i < 63 && value; i++) {
        value >>= 1;
        slot++;
    }
    return slot;
}

static __always_inline int enqueue(u32 pid)
{
    u64 now = bpf_ktime_get_ns();
    bpf_map_update_elem(&queued, &pid, &now, BPF_ANY);
    return 0;
}

SEC("tp/sched/sched_wakeup")
int on_wakeup(struct trace_event_raw_sched_wakeup_template *ctx)
{
    return enqueue(ctx->pid);
}

SEC("tp/sched/sched_wakeup_new")
int on_wakeup_new(struct trace_event_raw_sched_wakeup_template *ctx)
{
    return enqueue(ctx->pid);
}

SEC("tp/sched/sched_switch")
int on_switch(struct trace_event_raw_sched_switch *ctx)
{
    u32 next = ctx->next_pid;
    u64 *start = bpf_map_lookup_elem(&queued, &next);
    if (!start)
        return 0;
    u32 slot = log2_slot((bpf_ktime_get_ns() - *start) / 1000);
    bpf_map_delete_elem(&queued, &next);
    u64 *count = bpf_map_lookup_elem(&delay_us_hist, &slot);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
