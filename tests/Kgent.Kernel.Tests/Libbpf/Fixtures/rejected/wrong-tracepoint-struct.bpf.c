// Takes sched_switch's record in the sched_process_exec tracepoint.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/sched/sched_process_exec") // EXPECT semantic "which is not the record of sched:sched_process_exec"
int exec(struct trace_event_raw_sched_switch *ctx)
{
    return ctx->prev_pid;
}

char LICENSE[] SEC("license") = "GPL";
