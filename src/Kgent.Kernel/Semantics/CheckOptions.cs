namespace Kgent.Kernel.Semantics;

/// <summary>How strict <see cref="SemanticChecker"/> is. <see cref="AllowUnsafe"/> turns the safety errors
/// (system, signal, override, cat) into warnings; it never makes Kgent pass <c>--unsafe</c> on its own.
/// <see cref="IncludeDirectories"/> are searched for <c>#include &lt;…&gt;</c>, like the C compiler bpftrace runs.</summary>
public sealed record CheckOptions(bool AllowUnsafe = false, IReadOnlyList<string>? IncludeDirectories = null)
{
    public static CheckOptions Default { get; } = new();

    public static IReadOnlyList<string> DefaultIncludeDirectories { get; } =
        ["/usr/local/include", "/usr/include/x86_64-linux-gnu", "/usr/include/aarch64-linux-gnu", "/usr/include"];

    public IReadOnlyList<string> EffectiveIncludeDirectories => IncludeDirectories ?? DefaultIncludeDirectories;
}
