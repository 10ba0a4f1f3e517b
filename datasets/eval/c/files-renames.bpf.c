// files-renames: every rename, old name then new name.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event {
    char old_name[128];
    char new_name[128];
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

static __always_inline int send(const char *from, const char *to)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_probe_read_user_str(&e->old_name, sizeof(e->old_name), from);
    bpf_probe_read_user_str(&e->new_name, sizeof(e->new_name), to);
    bpf_ringbuf_submit(e, 0);
    return 0;
}

// renameat2(olddfd, oldname, newdfd, newname, flags), renameat(olddfd, oldname, newdfd, newname), rename(oldname, newname)
SEC("tp/syscalls/sys_enter_renameat2")
int on_renameat2(struct trace_event_raw_sys_enter *ctx)
{
    return send((const char *)ctx->args[1], (const char *)ctx->args[3]);
}

SEC("tp/syscalls/sys_enter_renameat")
int on_renameat(struct trace_event_raw_sys_enter *ctx)
{
    return send((const char *)ctx->args[1], (const char *)ctx->args[3]);
}

SEC("tp/syscalls/sys_enter_rename")
int on_rename(struct trace_event_raw_sys_enter *ctx)
{
    return send((const char *)ctx->args[0], (const char *)ctx->args[1]);
}

char LICENSE[] SEC("license") = "GPL";
