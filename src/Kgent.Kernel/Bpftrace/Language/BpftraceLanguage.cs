namespace Kgent.Kernel.Bpftrace.Language;

/// <summary>The bpftrace release whose language the checker holds programs to when nothing chooses another
/// (<see cref="CheckOptions.TargetVersion"/>): this host's bpftrace, Debian bookworm's 0.17. The releases that added
/// each newer feature are in datasets/bpftrace-versions/language.yaml (<see cref="Bpftrace.Language.LanguageFeatures"/>).</summary>
public static class BpftraceLanguage
{
    public static Version DefaultTarget { get; } = new(0, 17, 0);

    /// <summary>"0.17" for 0.17.0, "0.23.2" for 0.23.2.</summary>
    public static string Name(Version version) => Bpftrace.Language.LanguageFeature.Name(version);
}
