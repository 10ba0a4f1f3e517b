using System.Collections.Immutable;

namespace Kgent.Kernel.Bpftrace.Language;

/// <summary>One bpftrace language change, dated by bpftrace's CHANGELOG: the release that added it (or deprecated or
/// removed it), the words it brings, and how a program says the same to an older release (<see cref="Older"/>, null
/// when it cannot).</summary>
public sealed record LanguageFeature(
    string Id,
    string Title,
    LanguageFeatureKind Kind,
    Version? Added,
    Version? Deprecated,
    Version? Removed,
    string Changelog,
    string Example,
    string? Older,
    ImmutableArray<string> Functions,
    ImmutableArray<string> Builtins)
{
    /// <summary>For a <see cref="LanguageFeatureKind.Bug"/>: the first release measured with it.</summary>
    public Version? Broken { get; init; }

    /// <summary>For a <see cref="LanguageFeatureKind.Bug"/>: the release that fixed it.</summary>
    public Version? Fixed { get; init; }

    /// <summary>Whether <paramref name="target"/> has the bug.</summary>
    public bool HasBugIn(Version target) => Kind == LanguageFeatureKind.Bug && Broken is { } from && target >= from && (Fixed is null || target < Fixed);

    /// <summary>Whether a program for <paramref name="target"/> may use the feature.</summary>
    public bool IsAvailableIn(Version target) => (Added is null || target >= Added) && (Removed is null || target < Removed);

    /// <summary>"0.22" for 0.22.0: how people name a release.</summary>
    public static string Name(Version version) => version.Build > 0 ? version.ToString(3) : version.ToString(2);
}
