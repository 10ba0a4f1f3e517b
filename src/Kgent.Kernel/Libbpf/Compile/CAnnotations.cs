namespace Kgent.Kernel.Libbpf.Compile;

/// <summary>Kgent's annotations in C: <c>assume(COND);</c> and <c>assert(COND);</c>. For the kernel they are macros that
/// compile to nothing; for the symbolic verifier they become <c>__builtin_annotation</c> calls, which clang keeps in the
/// syntax tree with the condition and the annotation's kind.</summary>
public static class CAnnotations
{
    public const string AssumeMark = "kgent.assume";
    public const string AssertMark = "kgent.assert";

    /// <summary>The definitions the kernel build uses: both annotations compile away.</summary>
    public static IReadOnlyList<string> Erased { get; } = ["-Dassume(...)=((void)0)", "-Dassert(...)=((void)0)"];

    /// <summary>The definitions the symbolic verifier's reading uses, in the same order as <see cref="Erased"/>.</summary>
    public static IReadOnlyList<string> Marked { get; } =
    [
        $"-Dassume(...)=((void)__builtin_annotation(!!(__VA_ARGS__), \"{AssumeMark}\"))",
        $"-Dassert(...)=((void)__builtin_annotation(!!(__VA_ARGS__), \"{AssertMark}\"))",
    ];

    /// <summary>A compile argument with an erasing definition replaced by its marking one.</summary>
    internal static string Marking(string argument)
    {
        for (var i = 0; i < Erased.Count; i++)
        {
            if (Erased[i] == argument)
            {
                return Marked[i];
            }
        }

        return argument;
    }
}
