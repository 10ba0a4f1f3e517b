using System.Collections.Immutable;

namespace Kgent.Kernel.Safety;

/// <summary>The unsafe builtins a user allowed by name (<c>--allow-unsafe cat,system</c>); none by default. A builtin that
/// bpftrace runs only with <c>--unsafe</c> makes Kgent pass <c>--unsafe</c> only when it is named here and used. C programs'
/// unsafe helpers are allowed the same way, by their own names (<c>--allow-unsafe bpf_send_signal</c>).</summary>
public sealed record SafetyAllowance(ImmutableSortedSet<string> Builtins)
{
    public static SafetyAllowance None { get; } = new(ImmutableSortedSet<string>.Empty);

    public bool Allows(string builtin) => Builtins.Contains(builtin);

    public bool IsEmpty => Builtins.IsEmpty;

    /// <summary>Reads a list such as <c>cat,system</c> (commas or spaces); null with the problem when a name is not an unsafe
    /// builtin.</summary>
    public static SafetyAllowance? Parse(IEnumerable<string> values, out string? problem)
    {
        var names = values.SelectMany(v => v.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(n => n.TrimEnd('(', ')'))
            .ToList();
        var known = SafetyPolicy.Builtins.Select(b => b.Name).Concat(UnsafeHelpers.All.Select(h => h.Name)).ToList();
        if (names.Count == 0)
        {
            problem = $"--allow-unsafe needs the builtins to allow, e.g. --allow-unsafe cat (unsafe builtins: {string.Join(", ", known)})";
            return null;
        }

        foreach (var name in names.Where(n => !known.Contains(n, StringComparer.Ordinal)))
        {
            var closest = Bpftrace.Diagnostics.Suggestions.Closest(name, known);
            problem = $"--allow-unsafe: '{name}' is not an unsafe builtin" + (closest is null ? string.Empty : $"; did you mean '{closest}'?") +
                $" (unsafe builtins: {string.Join(", ", known)})";
            return null;
        }

        problem = null;
        return new SafetyAllowance([.. names]);
    }

    public override string ToString() => IsEmpty ? "none" : string.Join(",", Builtins);
}
