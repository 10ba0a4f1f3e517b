using System.Globalization;
using Kgent.Kernel.KernelInfo.Tracepoints;

namespace Kgent.Kernel.Intent;

/// <summary>A filter as a bpftrace condition on one hook: what "that fail" means on a system call's return
/// (<c>args->ret &lt; 0</c>), on a completed block request (<c>args->error != 0</c>) or a kretprobe (<c>retval &lt; 0</c>);
/// a process name, a PID, "opened for writing" (<c>(args->flags &amp; 3) != 0</c>: O_WRONLY or O_RDWR), a port, a bound.
/// Null when Kgent does not know the filter on that hook (it is then not an obligation there).</summary>
internal static class FilterConditions
{
    /// <summary>The values a system call really returns: an error is -4095 to -1 (the kernel's MAX_ERRNO), so a program
    /// that also checks <c>args->ret >= -4095</c> selects the same failures.</summary>
    public const string SyscallReturns = "args->ret >= -4095";

    /// <summary>The domain a filter's condition is compared over on a hook (null: every input).</summary>
    public static string? Domain(IntentFilter filter, string hook, TracepointFormat? format) =>
        filter.Kind is FilterKind.Failure or FilterKind.Success && hook.Contains(":sys_exit", StringComparison.Ordinal)
            && format?.Fields.Any(f => f.Name == "ret") == true
            ? SyscallReturns
            : null;

    public static string? For(IntentFilter filter, string hook, TracepointFormat? format, string? value)
    {
        bool Has(string name) => format?.Fields.Any(f => f.Name == name) == true;
        var kret = hook.StartsWith("kretprobe:", StringComparison.Ordinal);
        switch (filter.Kind)
        {
            case FilterKind.Failure or FilterKind.Success:
            {
                // An allocator fails by returning NULL (kmalloc's ptr).
                var failed = kret ? "(int64)retval < 0"
                    : Has("ret") && (hook.Contains(":sys_exit", StringComparison.Ordinal)) ? "args->ret < 0"
                    : Has("error") ? "args->error != 0"
                    : Has("ptr") && hook.StartsWith("tracepoint:kmem:", StringComparison.Ordinal) ? "args->ptr == 0"
                    : null;
                return failed is null ? null : filter.Kind == FilterKind.Failure ? failed : $"!({failed})";
            }

            case FilterKind.ProcessName when filter.Value is { Length: > 0 } name:
                return $"comm == \"{name.Replace("\"", string.Empty, StringComparison.Ordinal)}\"";
            case FilterKind.Pid when long.TryParse(filter.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid):
                return $"pid == {pid}";
            case FilterKind.ForWriting when Has("flags"):
                return "(args->flags & 3) != 0";
            case FilterKind.Port when long.TryParse(filter.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port):
                return Has("dport") ? $"args->dport == {port}" : Has("sport") ? $"args->sport == {port}" : null;
            case FilterKind.Family when Has("family") && filter.Value is "ipv4" or "ipv6":
                // AF_INET is 2 and AF_INET6 is 10 on Linux.
                return filter.Value == "ipv6" ? "args->family == 10" : "args->family == 2";
            case FilterKind.LargerThan when value is not null && long.TryParse(filter.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var bound):
                return $"{value} > {bound}";
            default:
                return null;
        }
    }
}
