using System.Collections.Immutable;
using Kgent.Kernel.KernelVerifier;

namespace Kgent.Kernel.Runner;

/// <summary>What a run produced. <see cref="Load"/> is the kernel verifier's verdict; when it is a rejection nothing ran
/// and the rest is empty.</summary>
public sealed record RunResult(
    LoadVerdict Load,
    StopReason StoppedBy,
    TimeSpan Traced,
    ImmutableArray<string> Printf,
    ImmutableArray<MapOutput> Maps,
    ImmutableArray<(string Type, string Text)> OtherOutput,
    ImmutableArray<string> Messages,
    bool OutputTruncated,
    WorkloadResult? Workload,
    int? ExitCode)
{
    public bool Succeeded => Load.IsAccepted && ExitCode == 0;

    public MapOutput? Map(string name) => Maps.FirstOrDefault(m => m.Name == name || m.Name == "@" + name);
}

public enum StopReason
{
    /// <summary>The program was not loaded.</summary>
    NotStarted,

    /// <summary>The duration elapsed.</summary>
    Duration,

    /// <summary>The workload finished.</summary>
    WorkloadExited,

    /// <summary>The requested number of printf events arrived.</summary>
    MaxEvents,

    /// <summary>The program called exit() (or bpftrace stopped by itself).</summary>
    ProgramExited,

    /// <summary>Output reached the limit.</summary>
    OutputLimit,

    /// <summary>bpftrace did not stop when asked and was killed (END output and maps may be missing).</summary>
    Killed,

    /// <summary>The user interrupted the run (Ctrl-C, SIGTERM); it stopped as at the end of its duration.</summary>
    Interrupted,
}

/// <summary>The workload's exit code and the tail of its output.</summary>
public sealed record WorkloadResult(string Command, int? ExitCode, bool TimedOut, string Output, int ProcessId);
