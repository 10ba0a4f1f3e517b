// files-new-directories: every directory created, with the command that created it.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event {
    char comm[16];
    char path[256];
};

struct event *unused_event __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

static __always_inline int send(const char *path)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    bpf_probe_read_user_str(&e->path, sizeof(e->path), path);
    bpf_ringbuf_submit(e, 0);
    return 0;
}

SEC("tp/syscalls/sys_enter_mkdirat")
int on_mkdirat(struct trace_event_raw_sys_enter *ctx)
{
    return send((const char *)ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_mkdir")
int on_mkdir(struct trace_event_raw_sys_enter *ctx)
{
    return send((const char *)ctx->args[0]);
}

char LICENSE[] SEC("license") = "GPL";
