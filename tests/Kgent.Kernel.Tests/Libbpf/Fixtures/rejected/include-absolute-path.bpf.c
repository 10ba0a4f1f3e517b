// Includes a file by absolute path: clang would quote it in its errors, so Kgent refuses before clang runs.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "/etc/shadow" // EXPECT policy "absolute path"

SEC("tp/syscalls/sys_enter_sync")
int on_sync(void *ctx)
{
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
