using Kgent.Kernel.Safety;

namespace Kgent.Cli.Mcp;

/// <summary>What the person who registered <c>kgent mcp</c> allows the agents that call it: the unsafe builtins named on
/// its command line (an agent cannot allow more), and the bounds on every run.</summary>
/// <param name="Allowed">The unsafe builtins allowed by name (<c>kgent mcp --allow-unsafe cat</c>); none by default.</param>
/// <param name="MaxRun">The longest a run may trace, or its workload take.</param>
/// <param name="Bpftrace">The bpftrace to load with, as <c>--bpftrace</c> gives it, or null for the usual one.</param>
public sealed record McpPolicy(SafetyAllowance Allowed, TimeSpan MaxRun, string? Bpftrace = null)
{
    /// <summary>A run's default length when the agent names none.</summary>
    public static TimeSpan DefaultRun { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The most printf lines a run returns; the rest is counted, not sent.</summary>
    public const int MaxPrintfLines = 1000;

    /// <summary>The most bytes of bpftrace output a run keeps before it stops.</summary>
    public const long OutputLimit = 256 * 1024;

    /// <summary>The most characters a program sent by an agent may have.</summary>
    public const int MaxProgramCharacters = 256 * 1024;

    public static McpPolicy Default { get; } = new(SafetyAllowance.None, TimeSpan.FromSeconds(60));
}
