// Follows the current task's parent pointer directly instead of with BPF_CORE_READ().
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/sched/sched_process_fork")
int parent_pid(void *ctx)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    return task->real_parent->tgid; // EXPECT kernel-verifier "invalid mem access 'scalar'"
}

char LICENSE[] SEC("license") = "GPL";
