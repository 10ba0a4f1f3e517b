using System.Globalization;
using System.Text.Json.Serialization;

namespace Kgent.Kernel.Processes;

/// <summary>A process as the kernel knows it: its pid and its start time (clock ticks after boot, field 22 of
/// <c>/proc/PID/stat</c>). The pair names one process for good; a pid alone may be reused after it exits.</summary>
public sealed record ProcessIdentity(int Pid, long StartTicks)
{
    /// <summary>The running process with this pid, or null when there is none.</summary>
    public static ProcessIdentity? Of(int pid) => ProcStat.Read(pid) is { } stat ? new ProcessIdentity(pid, stat.StartTicks) : null;

    public static ProcessIdentity Current { get; } = Of(Environment.ProcessId) ?? new ProcessIdentity(Environment.ProcessId, 0);

    /// <summary>True while this very process runs (a zombie counts as gone).</summary>
    [JsonIgnore]
    public bool IsAlive => ProcStat.Read(Pid) is { } stat && stat.StartTicks == StartTicks && stat.State != 'Z' && stat.State != 'X';

    public override string ToString() => Pid.ToString(CultureInfo.InvariantCulture);
}
