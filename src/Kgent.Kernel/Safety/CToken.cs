namespace Kgent.Kernel.Safety;

/// <summary>A token of C or bpftrace text as the safety policy sees it: identifiers and punctuation matter; strings,
/// character literals, numbers and comments are opaque.</summary>
internal readonly record struct CToken(CTokenKind Kind, string Text, int Offset)
{
    public bool IsIdentifier(string name) => Kind == CTokenKind.Identifier && Text == name;

    public bool IsPunctuation(string text) => Kind == CTokenKind.Punctuation && Text == text;

    /// <summary>Splits text into tokens, skipping whitespace and comments; <paramref name="skipDirectives"/> also skips
    /// preprocessor lines (with their continuations), as when reading a program's probes.</summary>
    public static List<CToken> Split(string text, bool skipDirectives = false, int baseOffset = 0)
    {
        var tokens = new List<CToken>();
        var i = 0;
        var lineStart = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                lineStart = true;
                i++;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                continue;
            }

            if (c == '#' && lineStart && skipDirectives)
            {
                i = LogicalLineEnd(text, i);
                continue;
            }

            lineStart = false;
            var start = i;
            if (c == '"' || c == '\'')
            {
                i++;
                while (i < text.Length && text[i] != c && text[i] != '\n')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                i = Math.Min(i + 1, text.Length);
                tokens.Add(new CToken(c == '"' ? CTokenKind.String : CTokenKind.Character, text[start..i], baseOffset + start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new CToken(CTokenKind.Identifier, text[start..i], baseOffset + start));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new CToken(CTokenKind.Number, text[start..i], baseOffset + start));
            }
            else
            {
                i++;
                tokens.Add(new CToken(CTokenKind.Punctuation, c.ToString(), baseOffset + start));
            }
        }

        return tokens;
    }

    /// <summary>The end of the logical line starting at <paramref name="start"/>: backslash-newline continues it.</summary>
    internal static int LogicalLineEnd(string text, int start)
    {
        var i = start;
        while (i < text.Length)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i += 2;
                continue;
            }

            if (text[i] == '\n')
            {
                return i;
            }

            i++;
        }

        return i;
    }
}

internal enum CTokenKind
{
    Identifier,
    Number,
    String,
    Character,
    Punctuation,
}
