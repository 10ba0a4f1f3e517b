using System.Text;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Lexing;

/// <summary>
/// A pull lexer over bpftrace source. Expression tokens come from <see cref="Next"/>; the top level of a
/// program is not token-shaped (attach points such as <c>uprobe:/bin/bash:readline</c>, preprocessor lines,
/// C struct definitions), so the parser asks for those with the raw scanners below. Comments are collected
/// once each, whichever scanner passes them, for the printer.
/// </summary>
public sealed class Lexer
{
    private readonly string _text;
    private readonly List<Diagnostic> _diagnostics;
    private readonly SortedDictionary<int, Comment> _comments = [];
    private readonly HashSet<int> _reportedOffsets = [];

    public Lexer(SourceText source, List<Diagnostic> diagnostics)
    {
        _text = source.Text;
        _diagnostics = diagnostics;
    }

    /// <summary>Where the next scan starts. The parser rewinds this to re-read text in another mode.</summary>
    public int Position { get; set; }

    public IReadOnlyCollection<Comment> Comments => _comments.Values;

    public bool AtEnd => Position >= _text.Length;

    /// <summary>The character at the current position after trivia, or '\0' at the end.</summary>
    public char PeekChar(int ahead = 0) => Position + ahead < _text.Length ? _text[Position + ahead] : '\0';

    /// <summary>True if the text at the current position is <paramref name="word"/> as a whole word.</summary>
    public bool AtWord(string word)
    {
        if (string.CompareOrdinal(_text, Position, word, 0, word.Length) != 0)
        {
            return false;
        }

        var after = Position + word.Length;
        return after >= _text.Length || !IsIdentifierPart(_text[after]);
    }

    public void SkipTrivia() => SkipTrivia(record: true);

    private void SkipTrivia(bool record)
    {
        while (Position < _text.Length)
        {
            var c = _text[Position];
            if (char.IsWhiteSpace(c))
            {
                Position++;
            }
            else if (c == '/' && PeekChar(1) == '/')
            {
                var start = Position;
                while (Position < _text.Length && _text[Position] != '\n')
                {
                    Position++;
                }

                if (record)
                {
                    AddComment(start, Position);
                }
            }
            else if (c == '/' && PeekChar(1) == '*')
            {
                var start = Position;
                var close = _text.IndexOf("*/", Position + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    Report(SyntaxDiagnostics.UnterminatedComment, new TextSpan(start, 2),
                        "block comment is never closed", "add '*/' where the comment should end");
                    Position = _text.Length;
                }
                else
                {
                    Position = close + 2;
                }

                if (record)
                {
                    AddComment(start, Position);
                }
            }
            else
            {
                break;
            }
        }
    }

    public Token Next()
    {
        SkipTrivia();
        var start = Position;
        if (Position >= _text.Length)
        {
            return new Token(TokenKind.EndOfFile, TextSpan.Empty(_text.Length), string.Empty);
        }

        var c = _text[Position];
        if (IsIdentifierStart(c))
        {
            return ScanIdentifier(TokenKind.Identifier, start);
        }

        if (char.IsAsciiDigit(c))
        {
            return ScanInteger(start);
        }

        switch (c)
        {
            case '"':
                return ScanString(start);
            case '$':
                return ScanDollar(start);
            case '@':
                Position++;
                while (Position < _text.Length && IsIdentifierPart(_text[Position]))
                {
                    Position++;
                }

                return Make(TokenKind.Map, start);
        }

        var kind = ScanOperator(c);
        if (kind is { } operatorKind)
        {
            return Make(operatorKind, start);
        }

        Position++;
        if (char.IsHighSurrogate(c) && Position < _text.Length && char.IsLowSurrogate(_text[Position]))
        {
            Position++;
        }

        var bad = Make(TokenKind.Bad, start);
        Report(SyntaxDiagnostics.InvalidCharacter, bad.Span, $"invalid character '{Printable(bad.Text)}'",
            c == '\'' ? "bpftrace strings use double quotes: \"…\"" : null);
        return bad;
    }

    /// <summary>Reads one preprocessor line (with backslash continuations), e.g. <c>#include &lt;net/sock.h&gt;</c>.</summary>
    public TextSpan ScanLine()
    {
        var start = Position;
        while (Position < _text.Length && _text[Position] != '\n')
        {
            if (_text[Position] == '\\' && PeekChar(1) == '\n')
            {
                Position += 2;
                continue;
            }

            Position++;
        }

        var end = Position;
        while (end > start && char.IsWhiteSpace(_text[end - 1]))
        {
            end--;
        }

        return TextSpan.FromBounds(start, end);
    }

    /// <summary>Reads a C struct/union/enum definition from its keyword through the matching '}' and an optional ';'.</summary>
    public TextSpan ScanCDefinition()
    {
        var start = Position;
        var depth = 0;
        var sawBrace = false;
        while (Position < _text.Length)
        {
            var c = _text[Position];
            if (c == '/' && (PeekChar(1) == '/' || PeekChar(1) == '*'))
            {
                SkipTrivia(record: false);
                continue;
            }

            Position++;
            if (c == '{')
            {
                depth++;
                sawBrace = true;
            }
            else if (c == '}')
            {
                depth--;
                if (depth == 0)
                {
                    break;
                }
            }
            else if (c == ';' && !sawBrace)
            {
                return TextSpan.FromBounds(start, Position);
            }
        }

        if (depth != 0 || !sawBrace)
        {
            var keywordEnd = start;
            while (keywordEnd < _text.Length && IsIdentifierPart(_text[keywordEnd]))
            {
                keywordEnd++;
            }

            Report(SyntaxDiagnostics.UnterminatedDefinition, TextSpan.FromBounds(start, keywordEnd),
                "C definition is not closed before the end of the file", "close it with '};'");
            return TextSpan.FromBounds(start, Position);
        }

        var afterBrace = Position;
        while (Position < _text.Length && _text[Position] is not ('\n' or ';') && char.IsWhiteSpace(_text[Position]))
        {
            Position++;
        }

        if (Position < _text.Length && _text[Position] == ';')
        {
            Position++;
            return TextSpan.FromBounds(start, Position);
        }

        Position = afterBrace;
        return TextSpan.FromBounds(start, afterBrace);
    }

    /// <summary>
    /// Reads one attach point such as <c>kprobe:vfs_*</c>, <c>uprobe:/bin/bash:readline</c> or
    /// <c>hardware:cache-misses:1000</c>. It ends at whitespace, ',', '{', or a '/' that opens a predicate;
    /// a '/' right after ':' starts a path, which then runs to the next ':'.
    /// </summary>
    public TextSpan ScanAttachPoint()
    {
        var start = Position;
        var segmentStart = true;
        var inPath = false;
        while (Position < _text.Length)
        {
            var c = _text[Position];
            if (c == '"')
            {
                ScanString(Position);
                segmentStart = false;
                continue;
            }

            if (char.IsWhiteSpace(c) || c is '{' or '}' or ',' or ';' or '(' or ')')
            {
                break;
            }

            if (c == '/')
            {
                var opensComment = PeekChar(1) is '/' or '*';
                if (!opensComment && (segmentStart || inPath))
                {
                    inPath = true;
                    segmentStart = false;
                    Position++;
                    continue;
                }

                break;
            }

            if (c == ':')
            {
                inPath = false;
                segmentStart = true;
                Position++;
                continue;
            }

            if (segmentStart && c == '.')
            {
                inPath = true;
            }

            segmentStart = false;
            Position++;
        }

        return TextSpan.FromBounds(start, Position);
    }

    private Token ScanIdentifier(TokenKind kind, int start)
    {
        while (Position < _text.Length && IsIdentifierPart(_text[Position]))
        {
            Position++;
        }

        return Make(kind, start);
    }

    private Token ScanDollar(int start)
    {
        Position++;
        var c = PeekChar();
        if (c == '#')
        {
            Position++;
            return Make(TokenKind.PositionalParameter, start);
        }

        if (char.IsAsciiDigit(c))
        {
            while (char.IsAsciiDigit(PeekChar()))
            {
                Position++;
            }

            return Make(TokenKind.PositionalParameter, start);
        }

        if (IsIdentifierStart(c))
        {
            return ScanIdentifier(TokenKind.Variable, start);
        }

        var token = Make(TokenKind.Variable, start);
        Report(SyntaxDiagnostics.InvalidVariable, token.Span, "'$' must be followed by a variable name or a parameter number",
            "write a scratch variable as '$name', a positional parameter as '$1'");
        return token;
    }

    private Token ScanInteger(int start)
    {
        var isHex = _text[Position] == '0' && PeekChar(1) is 'x' or 'X';
        if (isHex)
        {
            Position += 2;
        }

        while (Position < _text.Length && IsIdentifierPart(_text[Position]))
        {
            Position++;
        }

        var token = Make(TokenKind.Integer, start);
        var (value, error, hint) = IntegerLiteralParser.Parse(token.Text);
        if (error is not null)
        {
            Report(SyntaxDiagnostics.InvalidInteger, token.Span, error, hint);
        }

        return token with { IntegerValue = value };
    }

    private Token ScanString(int start)
    {
        Position++;
        var value = new StringBuilder();
        while (true)
        {
            if (Position >= _text.Length || _text[Position] == '\n')
            {
                Report(SyntaxDiagnostics.UnterminatedString, TextSpan.FromBounds(start, Position),
                    "string literal is missing its closing '\"'", "add '\"' at the end of the string");
                return Make(TokenKind.String, start) with { StringValue = value.ToString() };
            }

            var c = _text[Position];
            if (c == '"')
            {
                Position++;
                return Make(TokenKind.String, start) with { StringValue = value.ToString() };
            }

            if (c != '\\')
            {
                value.Append(c);
                Position++;
                continue;
            }

            ScanEscape(value);
        }
    }

    private void ScanEscape(StringBuilder value)
    {
        var escapeStart = Position;
        Position++;
        var e = PeekChar();
        switch (e)
        {
            case 'n': value.Append('\n'); Position++; return;
            case 't': value.Append('\t'); Position++; return;
            case 'r': value.Append('\r'); Position++; return;
            case '"': value.Append('"'); Position++; return;
            case '\\': value.Append('\\'); Position++; return;
            case 'x' or 'X' when Uri.IsHexDigit(PeekChar(1)):
            {
                Position++;
                var digits = 0;
                var code = 0;
                while (digits < 2 && Uri.IsHexDigit(PeekChar()))
                {
                    code = (code * 16) + Convert.ToInt32(PeekChar().ToString(), 16);
                    Position++;
                    digits++;
                }

                value.Append((char)code);
                return;
            }

            case >= '0' and <= '7':
            {
                var digits = 0;
                var code = 0;
                while (digits < 3 && PeekChar() is >= '0' and <= '7')
                {
                    code = (code * 8) + (PeekChar() - '0');
                    Position++;
                    digits++;
                }

                value.Append((char)(code & 0xFF));
                return;
            }

            case '\n' or '\0':
                return;
        }

        Position++;
        Report(SyntaxDiagnostics.InvalidEscape, TextSpan.FromBounds(escapeStart, Position),
            $"invalid escape sequence '\\{Printable(e.ToString())}' in string",
            "bpftrace understands \\n \\t \\r \\\" \\\\ \\xHH and \\ooo (octal); write '\\\\' for a backslash");
        value.Append(e);
    }

    private TokenKind? ScanOperator(char c)
    {
        var n = PeekChar(1);
        var m = PeekChar(2);
        (TokenKind Kind, int Length)? match = c switch
        {
            '{' => (TokenKind.LeftBrace, 1),
            '}' => (TokenKind.RightBrace, 1),
            '(' => (TokenKind.LeftParen, 1),
            ')' => (TokenKind.RightParen, 1),
            '[' => (TokenKind.LeftBracket, 1),
            ']' => (TokenKind.RightBracket, 1),
            ';' => (TokenKind.Semicolon, 1),
            ',' => (TokenKind.Comma, 1),
            ':' => (TokenKind.Colon, 1),
            '?' => (TokenKind.Question, 1),
            '.' => n == '.' ? (TokenKind.DotDot, 2) : (TokenKind.Dot, 1),
            '~' => (TokenKind.Tilde, 1),
            '+' => n switch { '+' => (TokenKind.PlusPlus, 2), '=' => (TokenKind.PlusEquals, 2), _ => (TokenKind.Plus, 1) },
            '-' => n switch
            {
                '-' => (TokenKind.MinusMinus, 2),
                '=' => (TokenKind.MinusEquals, 2),
                '>' => (TokenKind.Arrow, 2),
                _ => (TokenKind.Minus, 1),
            },
            '*' => n == '=' ? (TokenKind.StarEquals, 2) : (TokenKind.Star, 1),
            '/' => n == '=' ? (TokenKind.SlashEquals, 2) : (TokenKind.Slash, 1),
            '%' => n == '=' ? (TokenKind.PercentEquals, 2) : (TokenKind.Percent, 1),
            '^' => n == '=' ? (TokenKind.CaretEquals, 2) : (TokenKind.Caret, 1),
            '!' => n == '=' ? (TokenKind.BangEquals, 2) : (TokenKind.Bang, 1),
            '=' => n == '=' ? (TokenKind.EqualsEquals, 2) : (TokenKind.Equals, 1),
            '&' => n switch
            {
                '&' => (TokenKind.AmpersandAmpersand, 2),
                '=' => (TokenKind.AmpersandEquals, 2),
                _ => (TokenKind.Ampersand, 1),
            },
            '|' => n switch { '|' => (TokenKind.PipePipe, 2), '=' => (TokenKind.PipeEquals, 2), _ => (TokenKind.Pipe, 1) },
            '<' => n switch
            {
                '<' => m == '=' ? (TokenKind.LessLessEquals, 3) : (TokenKind.LessLess, 2),
                '=' => (TokenKind.LessEquals, 2),
                _ => (TokenKind.Less, 1),
            },
            '>' => n switch
            {
                '>' => m == '=' ? (TokenKind.GreaterGreaterEquals, 3) : (TokenKind.GreaterGreater, 2),
                '=' => (TokenKind.GreaterEquals, 2),
                _ => (TokenKind.Greater, 1),
            },
            _ => null,
        };
        if (match is not { } found)
        {
            return null;
        }

        Position += found.Length;
        return found.Kind;
    }

    private Token Make(TokenKind kind, int start) => new(kind, TextSpan.FromBounds(start, Position), _text[start..Position]);

    private void AddComment(int start, int end) => _comments.TryAdd(start, new Comment(_text[start..end].TrimEnd(), TextSpan.FromBounds(start, end)));

    /// <summary>Reports once per offset: rewinding to re-read text must not duplicate lexical errors.</summary>
    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? hint)
    {
        if (_reportedOffsets.Add(span.Start))
        {
            _diagnostics.Add(new Diagnostic(descriptor, span, message, hint));
        }
    }

    private static string Printable(string text) =>
        text.Length == 1 && char.IsControl(text[0]) ? $"\\x{(int)text[0]:x2}" : text;

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    public static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
