namespace Kgent.Kernel.Bpftrace.Language;

/// <summary>How a feature shows in a program: a construct of the parser, the named functions or builtins, or a rule of
/// the checker (such as <c>.</c> on a pointer).</summary>
public enum LanguageFeatureKind
{
    Syntax,
    Function,
    Builtin,
    Semantic,

    /// <summary>A release's defect that changes what a program does (<see cref="LanguageFeature.HasBugIn"/>).</summary>
    Bug,
}
