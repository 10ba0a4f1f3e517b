using System.Collections.Immutable;

namespace Kgent.Kernel.Safety;

/// <summary>What the safety policy found in one program: every unsafe call (after macro expansion), and whether the review
/// is complete (a program whose macro expansion exceeds the bounds cannot be cleared and is refused).</summary>
public sealed record SafetyReview(ImmutableArray<SafetyViolation> Violations, string? Incomplete = null)
{
    public static SafetyReview Clean { get; } = new([]);

    /// <summary>True when nothing unsafe is called, or only builtins the user allowed.</summary>
    public bool IsSafe => Incomplete is null && Violations.All(v => v.Allowed);

    /// <summary>The violations that stop the program.</summary>
    public IEnumerable<SafetyViolation> Refused => Violations.Where(v => !v.Allowed);

    /// <summary>True when an allowed builtin needs bpftrace's <c>--unsafe</c>.</summary>
    public bool NeedsUnsafeFlag => Violations.Any(v => v.Allowed && v.Builtin.NeedsUnsafeFlag);

    /// <summary>One line saying why the program is refused, or null when it is not.</summary>
    public string? Reason => Incomplete ?? (Refused.FirstOrDefault() is { } first ? first.Message : null);
}
