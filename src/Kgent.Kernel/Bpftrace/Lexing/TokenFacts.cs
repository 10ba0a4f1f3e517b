namespace Kgent.Kernel.Bpftrace.Lexing;

public static class TokenFacts
{
    /// <summary>How a token kind is spelled, for "expected ';'" style messages.</summary>
    public static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.Integer => "integer",
        TokenKind.String => "string",
        TokenKind.Identifier => "identifier",
        TokenKind.Variable => "variable",
        TokenKind.PositionalParameter => "positional parameter",
        TokenKind.Map => "map",
        _ => $"'{Spelling(kind)}'",
    };

    public static string Spelling(TokenKind kind) => kind switch
    {
        TokenKind.LeftBrace => "{",
        TokenKind.RightBrace => "}",
        TokenKind.LeftParen => "(",
        TokenKind.RightParen => ")",
        TokenKind.LeftBracket => "[",
        TokenKind.RightBracket => "]",
        TokenKind.Semicolon => ";",
        TokenKind.Comma => ",",
        TokenKind.Colon => ":",
        TokenKind.Question => "?",
        TokenKind.Dot => ".",
        TokenKind.DotDot => "..",
        TokenKind.Arrow => "->",
        TokenKind.Plus => "+",
        TokenKind.Minus => "-",
        TokenKind.Star => "*",
        TokenKind.Slash => "/",
        TokenKind.Percent => "%",
        TokenKind.Ampersand => "&",
        TokenKind.Pipe => "|",
        TokenKind.Caret => "^",
        TokenKind.Bang => "!",
        TokenKind.Tilde => "~",
        TokenKind.Equals => "=",
        TokenKind.EqualsEquals => "==",
        TokenKind.BangEquals => "!=",
        TokenKind.Less => "<",
        TokenKind.Greater => ">",
        TokenKind.LessEquals => "<=",
        TokenKind.GreaterEquals => ">=",
        TokenKind.LessLess => "<<",
        TokenKind.GreaterGreater => ">>",
        TokenKind.AmpersandAmpersand => "&&",
        TokenKind.PipePipe => "||",
        TokenKind.PlusPlus => "++",
        TokenKind.MinusMinus => "--",
        TokenKind.PlusEquals => "+=",
        TokenKind.MinusEquals => "-=",
        TokenKind.StarEquals => "*=",
        TokenKind.SlashEquals => "/=",
        TokenKind.PercentEquals => "%=",
        TokenKind.AmpersandEquals => "&=",
        TokenKind.PipeEquals => "|=",
        TokenKind.CaretEquals => "^=",
        TokenKind.LessLessEquals => "<<=",
        TokenKind.GreaterGreaterEquals => ">>=",
        _ => kind.ToString(),
    };
}
