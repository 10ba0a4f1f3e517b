namespace Kgent.Kernel.Composition;

/// <summary>What a session asks of Kgent: every choice a front end passes on (from its options, cells or settings),
/// none of the loading. Null means the default: the environment variable, else the usual place.</summary>
/// <param name="Catalog">A catalog snapshot (<c>--catalog</c>); null: <c>KGENT_CATALOG</c>, else the running kernel.</param>
/// <param name="Contracts">A contract dataset folder (<c>--contracts</c>); null: <c>KGENT_CONTRACTS</c>, else the project's.</param>
/// <param name="Store">The example store (<c>--store</c>); null: <c>KGENT_EXAMPLES</c>, else the user's default store.</param>
/// <param name="Model"><c>offline</c>, or a model name on the configured endpoint (<c>--model</c>); null: the configured model.</param>
/// <param name="Bpftrace">The bpftrace to use (<c>--bpftrace</c>): a path or a command; null: <c>KGENT_BPFTRACE</c>, else PATH's.</param>
/// <param name="TargetVersion">The bpftrace release programs are held to (<c>--target-version</c>); null: the bpftrace's own.</param>
public sealed record WorkbenchOptions(
    string? Catalog = null,
    string? Contracts = null,
    string? Store = null,
    string? Model = null,
    string? Bpftrace = null,
    string? TargetVersion = null)
{
    public static WorkbenchOptions Default { get; } = new();

    /// <summary>Whether an empty example store gets the eBPFNL dataset's train split (so the offline model has
    /// examples to retrieve).</summary>
    public bool SeedStore { get; init; } = true;

    /// <summary>Whether the loop repairs candidates whose errors each have one meaning-preserving fix before asking the
    /// model again (<c>--no-repair</c> turns it off).</summary>
    public bool Repair { get; init; } = true;
}
