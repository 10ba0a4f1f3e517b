using System.Text;
using System.Text.RegularExpressions;

namespace Kgent.Kernel.KernelInfo.Catalog;

/// <summary>bpftrace's shell-style wildcards: <c>*</c> (any run), <c>?</c> (one character), <c>[abc]</c> (a class).</summary>
public sealed class WildcardPattern
{
    private readonly Regex regex;

    public WildcardPattern(string pattern)
    {
        Pattern = pattern;
        var builder = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    builder.Append(".*");
                    break;
                case '?':
                    builder.Append('.');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close > i + 1)
                    {
                        builder.Append('[').Append(Regex.Escape(pattern[(i + 1)..close]).Replace("\\-", "-", StringComparison.Ordinal)).Append(']');
                        i = close;
                    }
                    else
                    {
                        builder.Append("\\[");
                    }

                    break;
                default:
                    builder.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        regex = new Regex(builder.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public string Pattern { get; }

    public static bool HasWildcard(string text) => text.AsSpan().IndexOfAny("*?[") >= 0;

    public bool IsMatch(string text) => regex.IsMatch(text);
}
