// A statement without its semicolon: clang's parser stops on it.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_sync")
int on_sync(struct trace_event_raw_sys_enter *ctx)
{
    bpf_printk("sync") // EXPECT parse "expected ';'"
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
