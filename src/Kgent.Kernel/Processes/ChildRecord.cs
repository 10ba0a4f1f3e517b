namespace Kgent.Kernel.Processes;

/// <summary>What the run registry keeps about one guarded child while it runs: who owns it, the guard, the child, and the
/// temporary folder made for it. The record is removed when the owner reaps the child; a record whose owner is gone is a
/// leftover (see <see cref="ChildRegistry"/>).</summary>
public sealed record ChildRecord(string Label, string Command, ProcessIdentity Owner, ProcessIdentity Guard, ProcessIdentity? Child,
    string? Directory, DateTimeOffset Started);
