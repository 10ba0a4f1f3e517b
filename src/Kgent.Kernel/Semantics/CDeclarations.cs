using System.Text.RegularExpressions;

namespace Kgent.Kernel.Semantics;

/// <summary>The names a piece of C text declares, found by pattern rather than by a C parser: macros, typedefs,
/// enum constants, struct/union tags, and the headers it includes. Used for the program's own C definitions and
/// for the headers it includes.</summary>
internal static partial class CDeclarations
{
    public static string StripComments(string text) => Comments().Replace(text, " ");

    public static IEnumerable<string> Macros(string text) => Define().Matches(text).Select(m => m.Groups[1].Value);

    public static IEnumerable<string> Typedefs(string text) => Typedef().Matches(text).Select(m => m.Groups[1].Value);

    public static IEnumerable<string> EnumConstants(string text) =>
        EnumBody().Matches(text).SelectMany(body => EnumConstant().Matches(body.Groups[1].Value).Select(m => m.Groups[1].Value));

    /// <summary>Defined struct and union tags, as "struct NAME" / "union NAME".</summary>
    public static IEnumerable<string> Composites(string text) =>
        CompositeDefinition().Matches(text).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}");

    public static IEnumerable<string> Includes(string text) => Include().Matches(text).Select(m => m.Groups[1].Value);

    public static IEnumerable<string> Identifiers(string text) => Identifier().Matches(text).Select(m => m.Value);

    [GeneratedRegex(@"/\*.*?\*/|//[^\n]*", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)", RegexOptions.Multiline)]
    private static partial Regex Define();

    [GeneratedRegex(@"\btypedef\b[^;{]*?\b([A-Za-z_]\w*)\s*;")]
    private static partial Regex Typedef();

    [GeneratedRegex(@"\benum\b\s*\w*\s*\{([^}]*)\}")]
    private static partial Regex EnumBody();

    [GeneratedRegex(@"(?:^|,)\s*([A-Za-z_]\w*)")]
    private static partial Regex EnumConstant();

    [GeneratedRegex(@"\b(struct|union)\s+(\w+)\s*\{")]
    private static partial Regex CompositeDefinition();

    [GeneratedRegex(@"^[ \t]*#[ \t]*include[ \t]*[<""]([^>""]+)[>""]", RegexOptions.Multiline)]
    private static partial Regex Include();

    [GeneratedRegex(@"\b[A-Za-z_]\w*\b")]
    private static partial Regex Identifier();
}
