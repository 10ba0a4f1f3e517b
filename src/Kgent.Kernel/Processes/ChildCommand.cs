namespace Kgent.Kernel.Processes;

/// <summary>A child Kgent starts: what to run, what it is for (shown in the run registry and by <c>kgent doctor</c>),
/// variables to add to its environment (secrets are always removed) and the temporary folder made for it, which the guard
/// removes if Kgent dies.</summary>
public sealed record ChildCommand(string Label, string Executable, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? TemporaryDirectory { get; init; }

    public string Display => string.Join(' ', new[] { Executable }.Concat(Arguments).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
}
