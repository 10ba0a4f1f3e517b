using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Kgent.Kernel.Semantics;

/// <summary>The conversion specifiers in a printf-style format string, as bpftrace 0.17 reads them: <c>%%</c> is
/// literal, a <c>%</c> not followed by a known conversion is literal text (so <c>"%z"</c> takes no argument).</summary>
public static partial class PrintfFormat
{
    public static ImmutableArray<FormatSpecifier> Parse(string format)
    {
        var specifiers = ImmutableArray.CreateBuilder<FormatSpecifier>();
        foreach (Match match in Specifier().Matches(format))
        {
            if (match.Value == "%%")
            {
                continue;
            }

            var conversion = match.Groups["conv"].Value[0];
            specifiers.Add(new FormatSpecifier(match.Value, match.Index, conversion switch
            {
                's' => FormatArgumentKind.String,
                'r' => FormatArgumentKind.Buffer,
                _ => FormatArgumentKind.Integer,
            }));
        }

        return specifiers.ToImmutable();
    }

    [GeneratedRegex(@"%%|%[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|j|z|t)?(?<conv>[diouxXcspr])")]
    private static partial Regex Specifier();
}

/// <summary>One conversion, e.g. <c>%-16s</c> at character 3 of the format, expecting a string.</summary>
public sealed record FormatSpecifier(string Text, int Offset, FormatArgumentKind Expects);

public enum FormatArgumentKind
{
    Integer,
    String,
    Buffer,
}
