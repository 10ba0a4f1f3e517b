using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Libbpf.Check;

/// <summary>The code on one line of a C program: the line without its indentation and without a trailing <c>//</c> or
/// <c>/* */</c> comment (string and character literals are respected), so a span points at code, never at a comment.</summary>
public static class CLineText
{
    /// <summary>The span of the code on <paramref name="line"/> (1-based), or of the whole line when it is all comment.</summary>
    public static TextSpan Code(SourceText source, int line)
    {
        if (line < 1 || line > source.LineCount)
        {
            return new TextSpan(0, 0);
        }

        var start = source.GetOffset(new LinePosition(line, 1));
        var text = source.GetLineText(line).TrimEnd('\r', '\n');
        var end = CodeEnd(text);
        var code = text[..end].TrimEnd();
        var indent = code.Length - code.TrimStart().Length;
        return code.Trim().Length == 0
            ? new TextSpan(start + (text.Length - text.TrimStart().Length), Math.Max(1, text.Trim().Length))
            : new TextSpan(start + indent, code.Length - indent);
    }

    /// <summary>Where the code of <paramref name="text"/> ends: at its first comment outside a literal.</summary>
    public static int CodeEnd(string text)
    {
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] is '/' or '*')
            {
                return i;
            }
        }

        return text.Length;
    }
}
