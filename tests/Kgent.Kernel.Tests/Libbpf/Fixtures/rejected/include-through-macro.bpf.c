// Names the included file through a macro, which the include check cannot see: refused.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#define SECRET "../../../etc/shadow"
#include SECRET // EXPECT policy "not through a macro"

SEC("tp/syscalls/sys_enter_sync")
int on_sync(void *ctx)
{
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
