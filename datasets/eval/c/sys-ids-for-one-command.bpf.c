// sys-ids-for-one-command: count the system calls one command (kgevcat) makes, by system call number.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u64);
    __type(value, u64);
} calls SEC(".maps");

static const char wanted[] = "kgevcat";

SEC("tp/raw_syscalls/sys_enter")
int on_enter(struct trace_event_raw_sys_enter *ctx)
{
    char comm[16] = {};
    bpf_get_current_comm(&comm, sizeof(comm));
    for (int i = 0; i < sizeof(wanted); i++) {
        if (comm[i] != wanted[i])
            return 0;
    }
    u64 id = ctx->id, one = 1, *count = bpf_map_lookup_elem(&calls, &id);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&calls, &id, &one, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
