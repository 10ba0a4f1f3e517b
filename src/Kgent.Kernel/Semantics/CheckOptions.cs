using Kgent.Kernel.Bpftrace.Language;
namespace Kgent.Kernel.Semantics;

/// <summary>How strict <see cref="SemanticChecker"/> is. <see cref="Allowed"/> names the unsafe builtins (system, signal,
/// override, cat; see <see cref="Safety.SafetyPolicy"/>) whose calls are warnings (KG3003) instead of errors.
/// <see cref="IncludeDirectories"/> are searched for <c>#include &lt;…&gt;</c>, like the C compiler bpftrace runs.</summary>
public sealed record CheckOptions(Safety.SafetyAllowance? Allowed = null, IReadOnlyList<string>? IncludeDirectories = null)
{
    public static CheckOptions Default { get; } = new();

    public static IReadOnlyList<string> DefaultIncludeDirectories { get; } =
        ["/usr/local/include", "/usr/include/x86_64-linux-gnu", "/usr/include/aarch64-linux-gnu", "/usr/include"];

    public IReadOnlyList<string> EffectiveIncludeDirectories => IncludeDirectories ?? DefaultIncludeDirectories;

    /// <summary>The bpftrace release the program is for; null means <see cref="BpftraceLanguage.DefaultTarget"/>. A
    /// construct the release lacks is KG2701, one it removed KG2702.</summary>
    public Version? TargetVersion { get; init; }

    public Version Target => TargetVersion ?? BpftraceLanguage.DefaultTarget;

    /// <summary>Whether the target release has a feature of the release table (<see cref="Bpftrace.Language.LanguageFeatures"/>).</summary>
    public bool Has(string feature) => Bpftrace.Language.LanguageFeatures.Get(feature).IsAvailableIn(Target);
}
