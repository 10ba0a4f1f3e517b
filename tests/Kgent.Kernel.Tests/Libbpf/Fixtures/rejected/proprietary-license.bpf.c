// Copies user memory, which the kernel allows only GPL-compatible programs, under a proprietary license.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_openat")
int first_char(struct trace_event_raw_sys_enter *ctx)
{
    char c = 0;
    bpf_probe_read_user(&c, 1, (const void *)ctx->args[1]);
    return c;
}

char LICENSE[] SEC("license") = "Proprietary"; // EXPECT semantic "is not GPL-compatible"
