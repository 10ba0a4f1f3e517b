// net-transmits-by-device: count transmitted packets per network device.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct device_key {
    char name[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 256);
    __type(key, struct device_key);
    __type(value, u64);
} packets SEC(".maps");

SEC("tp/net/net_dev_xmit")
int on_xmit(struct trace_event_raw_net_dev_xmit *ctx)
{
    struct device_key key = {};
    u64 one = 1, *count;
    // The name is a __data_loc string: its offset in the record is the low 16 bits.
    unsigned short offset = ctx->__data_loc_name & 0xFFFF;

    bpf_probe_read_kernel_str(&key.name, sizeof(key.name), (void *)ctx + offset);
    count = bpf_map_lookup_elem(&packets, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&packets, &key, &one, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
