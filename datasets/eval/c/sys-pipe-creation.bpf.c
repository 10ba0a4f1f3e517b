// sys-pipe-creation: the name of every process that creates a pipe.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

// A record of one char[] is a line of text.
struct line {
    char comm[16];
};

struct line *unused_line __attribute__((unused));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

static __always_inline int send(void)
{
    struct line *l = bpf_ringbuf_reserve(&events, sizeof(*l), 0);
    if (!l)
        return 0;
    bpf_get_current_comm(&l->comm, sizeof(l->comm));
    bpf_ringbuf_submit(l, 0);
    return 0;
}

SEC("tp/syscalls/sys_enter_pipe2")
int on_pipe2(struct trace_event_raw_sys_enter *ctx)
{
    return send();
}

SEC("tp/syscalls/sys_enter_pipe")
int on_pipe(struct trace_event_raw_sys_enter *ctx)
{
    return send();
}

char LICENSE[] SEC("license") = "GPL";
