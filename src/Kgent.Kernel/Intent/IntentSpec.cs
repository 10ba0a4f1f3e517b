using System.Collections.Immutable;

namespace Kgent.Kernel.Intent;

/// <summary>What a request asks for, as a typed record: the events to observe (with the hooks of this kernel that can
/// observe them), what is computed, the key, the filters, the fields to show, the value's unit and any periodicity.
/// Every item keeps the words of the request it came from. What the producer did not understand is listed in
/// <see cref="NotUnderstood"/>, and is simply not an obligation: a specification says "don't know" rather than guess.</summary>
public sealed record IntentSpec(
    string Request,
    ImmutableArray<IntentEvent> Events,
    IntentComputation? Computation,
    ImmutableArray<IntentKey> Keys,
    ImmutableArray<IntentFilter> Filters,
    ImmutableArray<IntentField> Fields,
    IntentValue? Value,
    IntentUnit? Unit,
    IntentPeriod? Period,
    ImmutableArray<string> NotUnderstood,
    string Producer)
{
    public static IntentSpec Empty(string request, string producer) =>
        new(request, [], null, [], [], [], null, null, null, [], producer);

    /// <summary>True when the specification asks for nothing Kgent can check.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Events.IsEmpty && Computation is null && Keys.IsEmpty && Filters.IsEmpty && Fields.IsEmpty && Value is null && Unit is null && Period is null;
}

/// <summary>An event to observe: its name ("file open"), the words it came from, and the hooks that observe it here, each
/// with the condition that selects the event on that hook when the hook also fires for other things
/// (<c>tracepoint:sock:inet_sock_set_state</c> is a connection attempt only when <c>args->newstate == 2</c>).</summary>
public sealed record IntentEvent(string Name, string Words, ImmutableArray<IntentHook> Hooks, EventRole Role = EventRole.Main);

/// <summary>One hook that observes an event, with the condition (a bpftrace expression) that selects the event there.
/// <see cref="Required"/> marks a system call the event happens through so often that a program observing the event at
/// the system-call level must attach to it too (files are deleted with both unlink and unlinkat: a program on one of them
/// misses half the deletions).</summary>
public sealed record IntentHook(string AttachPoint, string? Condition = null, bool Required = false);

/// <summary>Which part an event plays: the event itself, or the start and end of a latency.</summary>
public enum EventRole
{
    Main,
    Start,
    End,
}

public enum ComputationKind
{
    Print,
    Count,
    Sum,
    Histogram,
    LinearHistogram,
    Average,
    Minimum,
    Maximum,
    Stats,
    Latency,
}

/// <summary>What is computed. For a latency, <see cref="Shape"/> is how it is shown (a histogram, printed, …) and the
/// start and end are the events with roles <see cref="EventRole.Start"/> and <see cref="EventRole.End"/>; the latency is
/// measured per <see cref="Across"/> (the thread, the request, the process), so both ends must use the same key.</summary>
public sealed record IntentComputation(ComputationKind Kind, string Words, ComputationKind? Shape = null, string? Across = null,
    long? Low = null, long? High = null, int? Top = null);

/// <summary>A key the result is grouped by ("per process name"): a role (see <see cref="IntentRoles"/>) and its words.</summary>
public sealed record IntentKey(string Role, string Words, string? Qualifier = null);

public enum FilterKind
{
    /// <summary>The call failed (a negative return value).</summary>
    Failure,

    /// <summary>The call succeeded.</summary>
    Success,

    /// <summary>Only processes with this name.</summary>
    ProcessName,

    /// <summary>Only this process ID.</summary>
    Pid,

    /// <summary>Only files opened for writing.</summary>
    ForWriting,

    /// <summary>Only this port.</summary>
    Port,

    /// <summary>Only values above a bound.</summary>
    LargerThan,

    /// <summary>Only one address family: <c>ipv4</c> or <c>ipv6</c>.</summary>
    Family,
}

/// <summary>A filter the request asks for, with its value when it has one (a process name, a PID, a port, a bound).</summary>
public sealed record IntentFilter(FilterKind Kind, string Words, string? Value = null);

/// <summary>A field that must be shown ("the path it asked for"): a role, its qualifier ("destination", "old",
/// "parent") and its words.</summary>
public sealed record IntentField(string Role, string Words, string? Qualifier = null);

/// <summary>The value that is summed, averaged or put in a histogram ("the sizes passed to write()"): a role and its
/// qualifier ("requested", "allocated", "returned").</summary>
public sealed record IntentValue(string Role, string Words, string? Qualifier = null);

/// <summary>The unit the value is asked in: <c>ns</c>, <c>us</c>, <c>ms</c>, <c>s</c> or <c>bytes</c>.</summary>
public sealed record IntentUnit(string Unit, string Words);

/// <summary>Output every <see cref="Seconds"/> seconds.</summary>
public sealed record IntentPeriod(int Seconds, string Words);
