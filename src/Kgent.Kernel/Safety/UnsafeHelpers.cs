using System.Collections.Immutable;

namespace Kgent.Kernel.Safety;

/// <summary>The BPF helpers Kgent's safety policy refuses in C programs unless allowed by name (what
/// <c>--allow-unsafe</c> accepts beside bpftrace's builtins).</summary>
public static class UnsafeHelpers
{
    public static ImmutableArray<UnsafeHelper> All { get; } =
    [
        new("bpf_probe_write_user", 36, "writes into the memory of the traced process"),
        new("bpf_override_return", 58, "changes a kernel function's return value"),
        new("bpf_send_signal", 109, "sends a signal to the traced process"),
        new("bpf_send_signal_thread", 117, "sends a signal to the traced thread"),
    ];
}
