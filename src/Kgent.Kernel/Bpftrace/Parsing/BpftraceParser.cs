using System.Collections.Immutable;
using System.Globalization;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Language;
using Kgent.Kernel.Bpftrace.Lexing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Bpftrace.Parsing;

/// <summary>
/// Recursive-descent parser for the bpftrace language of every release from 0.17 to 0.27 (the union: whether a
/// construct exists in the target release is the checker's question), plus Kgent's <c>assume</c>/<c>assert</c> statements.
/// It never throws on bad input: every syntax error becomes a diagnostic, the parser resynchronises at
/// the next ';', '}' or probe, and the tree it returns has <see cref="MissingExpression"/> in the holes.
/// </summary>
public sealed partial class BpftraceParser
{
    /// <summary>Deeper nesting than this is reported instead of recursing, so hostile input cannot overflow the stack. It
    /// bounds the depth of the tree, not only the parser's recursion: each link of an operator chain (<c>a + b + …</c>),
    /// a field chain (<c>a->b->…</c>), an index chain or an <c>else if</c> chain counts as a level, because every pass over
    /// the tree (printer, checker, symbolic executor, dump) recurses once per level.</summary>
    public const int MaxNesting = 256;

    private readonly SourceText _source;
    private readonly Lexer _lexer;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly HashSet<int> _errorOffsets = [];
    private readonly List<Token> _lookahead = [];
    private int _previousEnd;
    private int _nesting;
    private bool _overflowed;
    private bool _inPredicate;
    private bool _inAnnotation;
    private int _diagnosticsCounted;
    private int _errorCount;

    private BpftraceParser(SourceText source)
    {
        _source = source;
        _lexer = new Lexer(source, _diagnostics);
    }

    public static ParseResult Parse(SourceText source)
    {
        var parser = new BpftraceParser(source);
        var program = parser.ParseProgram();
        var diagnostics = parser._diagnostics.OrderBy(d => d.Span.Start).ToImmutableArray();
        return new ParseResult(source, program, diagnostics);
    }

    public static ParseResult Parse(string text, string path = "<input>") => Parse(new SourceText(text, path));

    private Token Current => Peek(0);

    private Token Peek(int ahead)
    {
        while (_lookahead.Count <= ahead)
        {
            _lookahead.Add(_lexer.Next());
        }

        return _lookahead[ahead];
    }

    private Token Advance()
    {
        var token = Peek(0);
        _lookahead.RemoveAt(0);
        if (token.Kind != TokenKind.EndOfFile)
        {
            _previousEnd = token.Span.End;
        }

        return token;
    }

    private bool At(TokenKind kind) => Current.Kind == kind;

    private bool AtKeyword(string keyword) => Current.IsIdentifier(keyword);

    private bool Accept(TokenKind kind)
    {
        if (!At(kind))
        {
            return false;
        }

        Advance();
        return true;
    }

    private void Expect(TokenKind kind, string? hint = null, DiagnosticDescriptor? descriptor = null)
    {
        if (Accept(kind))
        {
            return;
        }

        Report(descriptor ?? SyntaxDiagnostics.UnexpectedToken, Current.Span,
            $"expected {TokenFacts.Describe(kind)}, found {Describe(Current)}", hint);
    }

    /// <summary>Gives buffered tokens back to the lexer so the top level can be read with the raw scanners.</summary>
    private void RewindToRaw()
    {
        if (_lookahead.Count > 0)
        {
            _lexer.Position = _lookahead[0].Span.Start;
            _lookahead.Clear();
        }
    }

    /// <summary>Reports at most one error per source offset, which keeps one mistake from cascading.</summary>
    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? hint = null, TextFix? fix = null)
    {
        // Once nesting overflowed, the rest of the probe is skipped: whatever the unwinding trips over is not the user's.
        if (_overflowed)
        {
            return;
        }

        if (descriptor.Severity == DiagnosticSeverity.Error && !_errorOffsets.Add(span.Start))
        {
            return;
        }

        _diagnostics.Add(new Diagnostic(descriptor, span, message, hint) { Fix = fix });
    }

    /// <summary>Errors reported so far by the lexer or the parser (both append to the same list), counted
    /// incrementally because every statement asks.</summary>
    private int ErrorCount
    {
        get
        {
            for (; _diagnosticsCounted < _diagnostics.Count; _diagnosticsCounted++)
            {
                _errorCount += _diagnostics[_diagnosticsCounted].IsError ? 1 : 0;
            }

            return _errorCount;
        }
    }

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.String => "string",
        _ => $"'{token.Text}'",
    };

    // ---------------------------------------------------------------- top level

    private BpftraceProgram ParseProgram()
    {
        var items = ImmutableArray.CreateBuilder<TopLevelItem>();
        var sawProbe = false;
        while (true)
        {
            RewindToRaw();
            _lexer.SkipTrivia();
            if (_lexer.AtEnd)
            {
                break;
            }

            var start = _lexer.Position;
            var c = _lexer.PeekChar();
            if (c == '#')
            {
                var span = _lexer.ScanLine();
                var directive = new PreprocessorDirective(_source.ToString(span), span);
                if (sawProbe && !directive.IsShebang)
                {
                    Report(SyntaxDiagnostics.DefinitionAfterProbe, span, "preprocessor directives must come before the first probe",
                        "move this line to the top of the program");
                }

                items.Add(directive);
            }
            else if (_lexer.AtWord("struct") || _lexer.AtWord("union") || _lexer.AtWord("enum"))
            {
                var span = _lexer.ScanCDefinition();
                if (sawProbe)
                {
                    Report(SyntaxDiagnostics.DefinitionAfterProbe, TextSpan.FromBounds(span.Start, Math.Min(span.End, span.Start + 6)),
                        "C definitions must come before the first probe", "move this definition to the top of the program");
                }

                items.Add(new CDefinition(_source.ToString(span), span));
            }
            else if (c == '}')
            {
                Report(SyntaxDiagnostics.UnexpectedCloseBrace, new TextSpan(start, 1), "unmatched '}'",
                    "remove it, or check the braces of the probe above");
                _lexer.Position++;
            }
            else if (c == ';')
            {
                Report(SyntaxDiagnostics.EmptyStatement, new TextSpan(start, 1), "unexpected ';' between probes",
                    "no ';' is needed after a probe's '}'");
                _lexer.Position++;
            }
            else if (TryParseNewerTopLevel() is { } item)
            {
                items.Add(item);
            }
            else
            {
                items.Add(ParseProbe());
                sawProbe = true;
            }

            RewindToRaw();
            if (_lexer.Position == start)
            {
                _lexer.Position++;
            }
        }

        ReportUnknownFunctions(items);
        if (!sawProbe && ErrorCount == 0)
        {
            Report(SyntaxDiagnostics.EmptyProgram, TextSpan.Empty(_source.Length), "the program has no probes",
                "add one, e.g. tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", comm); }");
        }

        var comments = _lexer.Comments.ToImmutableArray();
        return new BpftraceProgram(items.ToImmutable(), comments, new TextSpan(0, _source.Length));
    }

    private Probe ParseProbe()
    {
        var start = _lexer.Position;
        var attachPoints = ImmutableArray.CreateBuilder<AttachPoint>();
        while (true)
        {
            _lexer.SkipTrivia();
            var span = _lexer.ScanAttachPoint();
            if (span.Length == 0)
            {
                var at = _lexer.Position;
                Report(SyntaxDiagnostics.MissingAttachPoint, new TextSpan(at, at < _source.Length ? 1 : 0),
                    attachPoints.Count == 0 ? "expected an attach point" : "expected an attach point after ','",
                    "a probe starts with an attach point, e.g. tracepoint:syscalls:sys_enter_openat or BEGIN");
                break;
            }

            attachPoints.Add(BuildAttachPoint(span));
            _lexer.SkipTrivia();
            if (_lexer.PeekChar() != ',')
            {
                break;
            }

            _lexer.Position++;
        }

        Expression? predicate = null;
        if (At(TokenKind.Slash))
        {
            Advance();
            _inPredicate = true;
            predicate = ParseExpression();
            _inPredicate = false;
            Expect(TokenKind.Slash, "a predicate is written /condition/ between the attach points and '{'");
        }

        Block body;
        if (At(TokenKind.LeftBrace))
        {
            var open = Current.Span.Start;
            body = ParseBlock();
            if (_overflowed)
            {
                SkipProbeAfterOverflow(open);
            }
        }
        else
        {
            var sameLine = attachPoints.Count > 0 && !At(TokenKind.EndOfFile)
                && _source.GetLinePosition(Current.Span.Start).Line == _source.GetLinePosition(attachPoints[^1].Span.End).Line;
            Report(SyntaxDiagnostics.UnexpectedToken, Current.Span, $"expected '{{' to open the probe body, found {Describe(Current)}",
                sameLine ? "separate attach points with ',' and open the body with '{'" : "write the probe's actions in braces: probe { … }");
            while (!At(TokenKind.LeftBrace) && !At(TokenKind.EndOfFile))
            {
                Advance();
            }

            var open = Current.Span.Start;
            body = At(TokenKind.LeftBrace) ? ParseBlock() : new Block([], TextSpan.Empty(_previousEnd));
            if (_overflowed)
            {
                SkipProbeAfterOverflow(open);
            }
        }

        return new Probe(attachPoints.ToImmutable(), predicate, body, TextSpan.FromBounds(start, Math.Max(body.Span.End, start)));
    }

    /// <summary>After nesting overflowed in a predicate: the recursion has unwound; skip to the '}' that matches the body's
    /// '{' and go on with the next probe.</summary>
    private void SkipProbeAfterOverflow(int open)
    {
        var scanner = new Lexer(_source, []) { Position = open };
        var depth = 0;
        var end = _source.Length;
        for (var token = scanner.Next(); token.Kind != TokenKind.EndOfFile; token = scanner.Next())
        {
            depth += token.Kind == TokenKind.LeftBrace ? 1 : token.Kind == TokenKind.RightBrace ? -1 : 0;
            if (depth == 0)
            {
                end = token.Span.End;
                break;
            }
        }

        ResumeAt(end, 0);
    }

    /// <summary>After nesting overflowed in a statement: the recursion has unwound to the block holding it; skip the whole
    /// statement — to its ';', or for if/while/unroll past the '}' (and any else) that closes it — and go on with the
    /// next one. The skipped text is scanned by a lexer of its own, so nothing in it is reported twice.</summary>
    private void SkipStatementAfterOverflow(int start, int nesting)
    {
        var scanner = new Lexer(_source, []) { Position = start };
        var first = scanner.Next();
        var compound = first.Kind == TokenKind.Identifier && first.Text is "if" or "while" or "unroll" or "else";
        var depth = 0;
        var end = _source.Length;
        for (var token = first; token.Kind != TokenKind.EndOfFile; token = scanner.Next())
        {
            switch (token.Kind)
            {
                case TokenKind.LeftBrace or TokenKind.LeftParen or TokenKind.LeftBracket:
                    depth++;
                    continue;
                case TokenKind.RightParen or TokenKind.RightBracket:
                    depth--;
                    continue;
                case TokenKind.RightBrace when depth == 0:
                    end = token.Span.Start; // the enclosing block's '}'
                    break;
                case TokenKind.RightBrace:
                    depth--;
                    if (depth == 0 && compound)
                    {
                        var after = scanner.Position;
                        if (scanner.Next() is { Kind: TokenKind.Identifier, Text: "else" })
                        {
                            continue; // the else branch belongs to the same statement
                        }

                        end = after;
                        break;
                    }

                    continue;
                case TokenKind.Semicolon when depth == 0:
                    end = token.Span.End;
                    break;
                default:
                    continue;
            }

            break;
        }

        ResumeAt(end, nesting);
    }

    private void ResumeAt(int offset, int nesting)
    {
        _lookahead.Clear();
        _lexer.Position = offset;
        _previousEnd = Math.Max(_previousEnd, offset);
        _overflowed = false;
        _nesting = nesting;
    }

    private AttachPoint BuildAttachPoint(TextSpan span)
    {
        var text = _source.ToString(span);
        var parts = SplitAttachPoint(text);
        var provider = parts[0];
        var rest = parts.Skip(1).ToImmutableArray();
        var providerSpan = new TextSpan(span.Start, provider.Length);

        // Provider names are case-insensitive from bpftrace 0.24 (`begin`, `Tracepoint:`); the checker says when the
        // target is older.
        if (parts.Count == 1 && (provider.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) || provider.Equals("END", StringComparison.OrdinalIgnoreCase)))
        {
            return new AttachPoint(text, provider.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) ? ProbeType.Begin : ProbeType.End, provider, rest, span);
        }

        var info = ProbeTypeInfo.Find(provider) ?? ProbeTypeInfo.Find(provider.ToLowerInvariant());
        if (info is null || info.MaxParts == 0)
        {
            var suggestion = Suggestions.Closest(provider, ProbeTypeInfo.Spellings);
            var hint = suggestion is not null
                ? $"did you mean '{suggestion}'?"
                : parts.Count == 1
                    ? "an attach point is TYPE:…, e.g. tracepoint:syscalls:sys_enter_openat or kprobe:vfs_read"
                    : "probe types are " + string.Join(", ", ProbeTypeInfo.All.Select(i => i.Name));
            Report(SyntaxDiagnostics.UnknownProbeType, providerSpan, $"unknown probe type '{provider}'", hint);
            return new AttachPoint(text, ProbeType.Unknown, provider, rest, span);
        }

        if (rest.Length < info.MinParts || rest.Length > info.MaxParts || rest.Any(part => part.Length == 0))
        {
            Report(SyntaxDiagnostics.MalformedAttachPoint, span, $"malformed {info.Name} attach point '{text}'",
                $"write it as {info.Usage}");
        }

        return new AttachPoint(text, info.Type, provider, rest, span);
    }

    /// <summary>Splits on ':' outside double quotes.</summary>
    private static List<string> SplitAttachPoint(string text)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (text[i] == ':' && !quoted)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    // ---------------------------------------------------------------- statements

    private Block ParseBlock()
    {
        var open = Current;
        Expect(TokenKind.LeftBrace);
        if (!Enter(open.Span, "move the inner blocks into their own probes, or combine their conditions with &&"))
        {
            return new Block([], TextSpan.FromBounds(open.Span.Start, _previousEnd));
        }

        var statements = ImmutableArray.CreateBuilder<Statement>();
        var endsWithValue = false;
        try
        {
            while (!_overflowed)
            {
                if (Accept(TokenKind.RightBrace))
                {
                    break;
                }

                if (At(TokenKind.EndOfFile))
                {
                    // An unterminated string after the '{' has usually swallowed the '}': report only the string.
                    var swallowed = _diagnostics.Any(d => d.Descriptor == SyntaxDiagnostics.UnterminatedString && d.Span.Start > open.Span.Start);
                    if (!swallowed)
                    {
                        Report(SyntaxDiagnostics.MissingCloseBrace, open.Span, "this '{' is never closed",
                            "add '}' at the end of the block", new TextFix(TextSpan.Empty(_previousEnd), "\n}", TextFix.CloseBrace));
                    }

                    break;
                }

                if (LooksLikeProbeStart())
                {
                    var line = _source.GetLinePosition(open.Span.Start).Line;
                    Report(SyntaxDiagnostics.MissingCloseBrace, Current.Span, "expected '}' before the next probe",
                        $"close the block opened on line {line} with '}}'", new TextFix(TextSpan.Empty(_previousEnd), "\n}", TextFix.CloseBrace));
                    break;
                }

                if (At(TokenKind.Semicolon))
                {
                    var previous = statements.Count > 0 ? statements[^1] : null;
                    Report(SyntaxDiagnostics.EmptyStatement, Current.Span, "unexpected ';'",
                        previous is IfStatement or WhileStatement or UnrollStatement or ForStatement ? "no ';' is needed after '}'" : "remove the extra ';'");
                    Advance();
                    continue;
                }

                var errorsBefore = ErrorCount;
                var startOffset = Current.Span.Start;
                var nestingBefore = _nesting;
                var statement = ParseStatement();
                statements.Add(statement);
                endsWithValue = false;
                if (_overflowed)
                {
                    SkipStatementAfterOverflow(startOffset, nestingBefore);
                    continue;
                }

                if (ErrorCount > errorsBefore)
                {
                    Synchronize(startOffset);
                    continue;
                }

                if (statement is IfStatement or WhileStatement or UnrollStatement or ForStatement or Block)
                {
                    continue;
                }

                if (Accept(TokenKind.Semicolon))
                {
                    continue;
                }

                if (At(TokenKind.RightBrace))
                {
                    // The block's value, in a macro body: a last expression without ';'.
                    endsWithValue = statement is ExpressionStatement;
                    continue;
                }

                if (At(TokenKind.EndOfFile) || LooksLikeProbeStart() || CanStartStatement(Current))
                {
                    Report(SyntaxDiagnostics.MissingSemicolon, TextSpan.Empty(_previousEnd), "expected ';' after this statement",
                        "insert ';' here", new TextFix(TextSpan.Empty(_previousEnd), ";", TextFix.Semicolon));
                    continue;
                }

                Report(SyntaxDiagnostics.UnexpectedToken, Current.Span, $"unexpected {Describe(Current)} after a statement",
                    "statements are separated by ';'");
                Synchronize(startOffset);
            }
        }
        finally
        {
            _nesting--;
        }

        _endsWithValue = endsWithValue;
        return new Block(statements.ToImmutable(), TextSpan.FromBounds(open.Span.Start, _previousEnd));
    }

    /// <summary>After an error, skips to the end of the statement: past the next ';' at this level, or up to a
    /// '}' or the next probe. Always moves forward at least one token when the failed statement did not.</summary>
    private void Synchronize(int statementStart)
    {
        if (Current.Span.Start == statementStart && !At(TokenKind.EndOfFile) && !At(TokenKind.RightBrace))
        {
            SkipBalanced();
        }

        while (!At(TokenKind.EndOfFile) && !At(TokenKind.RightBrace) && !LooksLikeProbeStart())
        {
            if (Accept(TokenKind.Semicolon))
            {
                return;
            }

            SkipBalanced();
        }
    }

    /// <summary>Skips one token, or a whole bracketed group when it opens one.</summary>
    private void SkipBalanced()
    {
        var open = Advance().Kind;
        var close = open switch
        {
            TokenKind.LeftBrace => TokenKind.RightBrace,
            TokenKind.LeftParen => TokenKind.RightParen,
            TokenKind.LeftBracket => TokenKind.RightBracket,
            _ => (TokenKind?)null,
        };
        if (close is null)
        {
            return;
        }

        var depth = 1;
        while (depth > 0 && !At(TokenKind.EndOfFile))
        {
            var kind = Advance().Kind;
            if (kind == open)
            {
                depth++;
            }
            else if (kind == close)
            {
                depth--;
            }
        }
    }

    /// <summary>A line that starts like <c>kprobe:…</c> or <c>BEGIN {</c> inside a block means the block above lost its '}'.</summary>
    private bool LooksLikeProbeStart()
    {
        var token = Current;
        if (token.Kind != TokenKind.Identifier || _source.GetLinePosition(token.Span.Start).Column != 1)
        {
            return false;
        }

        if (token.Text is "BEGIN" or "END")
        {
            return Peek(1).Kind is TokenKind.LeftBrace or TokenKind.Comma or TokenKind.Slash;
        }

        return ProbeTypeInfo.Find(token.Text) is not null && Peek(1).Kind == TokenKind.Colon;
    }

    private static bool CanStartStatement(Token token) => token.Kind is TokenKind.Identifier or TokenKind.Variable
        or TokenKind.Map or TokenKind.PlusPlus or TokenKind.MinusMinus or TokenKind.Star or TokenKind.LeftParen;

    private Statement ParseStatement()
    {
        var token = Current;
        if (token.Kind == TokenKind.Identifier)
        {
            switch (token.Text)
            {
                case "if":
                    return ParseIf();
                case "while":
                    return ParseWhile();
                case "unroll":
                    return ParseUnroll();
                case "return":
                    Advance();
                    var value = At(TokenKind.Semicolon) || At(TokenKind.RightBrace) || At(TokenKind.EndOfFile) ? null : ParseExpression();
                    return new JumpStatement(JumpKind.Return, value, TextSpan.FromBounds(token.Span.Start, _previousEnd));
                case "break":
                    Advance();
                    return new JumpStatement(JumpKind.Break, null, token.Span);
                case "continue":
                    Advance();
                    return new JumpStatement(JumpKind.Continue, null, token.Span);
                case "else":
                    Report(SyntaxDiagnostics.ElseWithoutIf, token.Span, "'else' without a matching 'if'",
                        "'else' must follow the '}' of an if block");
                    Advance();
                    return At(TokenKind.LeftBrace) ? ParseBlock() : new ExpressionStatement(new MissingExpression(token.Span), token.Span);
                case "assume" or "assert" when Peek(1).Kind == TokenKind.LeftParen:
                    return ParseAnnotation();
                case "let" when Peek(1).Kind == TokenKind.Variable:
                    return ParseLet();
                case "for" when Peek(1).Kind is TokenKind.LeftParen or TokenKind.Variable:
                    return ParseFor();
            }
        }

        if (token.Kind == TokenKind.LeftBrace)
        {
            Report(SyntaxDiagnostics.UnexpectedToken, token.Span, "unexpected '{'",
                "bpftrace has no bare blocks; braces follow if, else, while and unroll");
            return ParseBlock();
        }

        var expression = ParseExpression();
        if (AssignmentOperator(Current.Kind) is { } assignment)
        {
            Advance();
            var value = ParseExpression();
            CheckAssignmentTarget(expression);
            return new AssignmentStatement(expression, assignment, value, TextSpan.FromBounds(token.Span.Start, _previousEnd));
        }

        if (At(TokenKind.Equals))
        {
            Advance();
            var value = ParseExpression();
            CheckAssignmentTarget(expression);
            return new AssignmentStatement(expression, null, value, TextSpan.FromBounds(token.Span.Start, _previousEnd));
        }

        return new ExpressionStatement(expression, TextSpan.FromBounds(token.Span.Start, _previousEnd));
    }

    private void CheckAssignmentTarget(Expression target)
    {
        switch (target)
        {
            case VariableExpression or MapExpression or MissingExpression:
                return;
            case TupleAccessExpression:
                Report(SyntaxDiagnostics.TupleAssignment, target.Span, "tuples are immutable once created",
                    "create a new tuple and assign it instead");
                return;
            case IdentifierExpression identifier:
                Report(SyntaxDiagnostics.InvalidAssignmentTarget, target.Span, $"cannot assign to '{identifier.Name}'",
                    $"did you mean the scratch variable '${identifier.Name}' or the map '@{identifier.Name}'?");
                return;
            case BuiltinExpression builtin:
                Report(SyntaxDiagnostics.InvalidAssignmentTarget, target.Span, $"cannot assign to the builtin '{builtin.Name}'",
                    "store values in a scratch variable ($name) or a map (@name)");
                return;
            case FieldAccessExpression or IndexExpression or UnaryExpression { Operator: UnaryOperator.Dereference }:
                Report(SyntaxDiagnostics.InvalidAssignmentTarget, target.Span, "cannot assign to kernel or user memory",
                    "bpftrace only reads memory; copy the value into a variable instead: $v = …");
                return;
            default:
                Report(SyntaxDiagnostics.InvalidAssignmentTarget, target.Span, "this expression cannot be assigned to",
                    "assign to a scratch variable ($name) or a map (@name)");
                return;
        }
    }

    private static BinaryOperator? AssignmentOperator(TokenKind kind) => kind switch
    {
        TokenKind.PlusEquals => BinaryOperator.Add,
        TokenKind.MinusEquals => BinaryOperator.Subtract,
        TokenKind.StarEquals => BinaryOperator.Multiply,
        TokenKind.SlashEquals => BinaryOperator.Divide,
        TokenKind.PercentEquals => BinaryOperator.Modulo,
        TokenKind.AmpersandEquals => BinaryOperator.BitwiseAnd,
        TokenKind.PipeEquals => BinaryOperator.BitwiseOr,
        TokenKind.CaretEquals => BinaryOperator.BitwiseXor,
        TokenKind.LessLessEquals => BinaryOperator.ShiftLeft,
        TokenKind.GreaterGreaterEquals => BinaryOperator.ShiftRight,
        _ => null,
    };

    private IfStatement ParseIf()
    {
        var start = Advance().Span.Start;
        _conditionWasBare = false;
        var condition = ParseCondition("if");
        var bare = _conditionWasBare;
        var then = ParseBody("if");
        Statement? otherwise = null;
        if (AtKeyword("else"))
        {
            Advance();
            if (!AtKeyword("if"))
            {
                otherwise = ParseBody("else");
            }
            else if (Enter(Current.Span, "write a long else-if chain as separate if statements, or look the value up in a map"))
            {
                try
                {
                    otherwise = ParseIf();
                }
                finally
                {
                    _nesting--;
                }
            }
        }

        return new IfStatement(condition, then, otherwise, TextSpan.FromBounds(start, _previousEnd)) { BareCondition = bare };
    }

    private WhileStatement ParseWhile()
    {
        var start = Advance().Span.Start;
        _conditionWasBare = false;
        var condition = ParseCondition("while");
        var bare = _conditionWasBare;
        var body = ParseBody("while");
        return new WhileStatement(condition, body, TextSpan.FromBounds(start, _previousEnd)) { BareCondition = bare };
    }

    /// <summary>The <c>(condition)</c> after <c>if</c> or <c>while</c>. bpftrace 0.24 lets the parentheses go
    /// (<c>if $seen {</c>); the parser reads both and the checker says when the target needs them.</summary>
    private Expression ParseCondition(string keyword)
    {
        if (!At(TokenKind.LeftParen))
        {
            if (At(TokenKind.LeftBrace) || !CanStartExpression(Current))
            {
                Expect(TokenKind.LeftParen, $"write the condition in parentheses: {keyword} (condition) {{ … }}");
                return new MissingExpression(TextSpan.Empty(Current.Span.Start));
            }

            // Only a unary expression may go without parentheses (`if !$seen {`), as in bpftrace.
            var bare = ParseUnary();
            _conditionWasBare = true;
            if (!At(TokenKind.LeftBrace) && BinaryOperatorFor(Current.Kind) is not null)
            {
                Report(SyntaxDiagnostics.UnexpectedToken, Current.Span, $"a condition with operators needs parentheses: {keyword} (…) {{",
                    $"write {keyword} (condition) {{ … }}; only a single operand may go without them (bpftrace 0.24 and later)");
            }

            return bare;
        }

        Advance();
        var condition = ParseExpression();
        Expect(TokenKind.RightParen, "close the condition with ')'", SyntaxDiagnostics.MissingCloseParen);
        return condition;
    }

    private UnrollStatement ParseUnroll()
    {
        var start = Advance().Span.Start;
        Expect(TokenKind.LeftParen, "write the count in parentheses: unroll(4) { … }");
        var count = ParseExpression();
        if (count is not (IntegerLiteral or PositionalParameterExpression or MissingExpression))
        {
            Report(SyntaxDiagnostics.UnexpectedToken, count.Span, "unroll takes an integer literal or a positional parameter",
                "write a constant count, e.g. unroll(4)");
        }

        Expect(TokenKind.RightParen, "close the count with ')'", SyntaxDiagnostics.MissingCloseParen);
        var body = ParseBody("unroll");
        return new UnrollStatement(count, body, TextSpan.FromBounds(start, _previousEnd));
    }

    /// <summary>The braced body of if/else/while/unroll. bpftrace requires the braces; without them we report
    /// and read a single statement so the rest of the probe still parses.</summary>
    private Block ParseBody(string keyword)
    {
        if (At(TokenKind.LeftBrace))
        {
            return ParseBlock();
        }

        var token = Current;
        Report(SyntaxDiagnostics.UnexpectedToken, token.Span, $"expected '{{' after {keyword}, found {Describe(token)}",
            $"bpftrace requires braces: {keyword} … {{ … }}");
        if (token.Kind is TokenKind.RightBrace or TokenKind.EndOfFile || !CanStartStatement(token) || !Enter(token.Span))
        {
            return new Block([], TextSpan.Empty(token.Span.Start));
        }

        try
        {
            var statement = ParseStatement();
            return new Block([statement], statement.Span);
        }
        finally
        {
            _nesting--;
        }
    }

    private AnnotationStatement ParseAnnotation()
    {
        var keyword = Advance();
        var kind = keyword.Text == "assume" ? AnnotationKind.Assume : AnnotationKind.Assert;
        Advance();
        _inAnnotation = true;
        var condition = ParseExpression();
        _inAnnotation = false;
        if (At(TokenKind.Comma))
        {
            Report(SyntaxDiagnostics.AnnotationArity, Current.Span, $"{keyword.Text}() takes exactly one condition",
                "combine conditions with &&: " + keyword.Text + "(a && b)");
            while (Accept(TokenKind.Comma))
            {
                ParseExpression();
            }
        }

        Expect(TokenKind.RightParen, $"close {keyword.Text}( with ')'", SyntaxDiagnostics.MissingCloseParen);
        return new AnnotationStatement(kind, condition, TextSpan.FromBounds(keyword.Span.Start, _previousEnd));
    }

    // ---------------------------------------------------------------- expressions

    private const string ChainHint = "split it with scratch variables: $a = <first half>; then use $a in the rest";

    private bool Enter(TextSpan at, string hint = "split the expression using scratch variables")
    {
        if (_overflowed)
        {
            return false;
        }

        if (_nesting >= MaxNesting)
        {
            Report(SyntaxDiagnostics.NestingTooDeep, at, $"nesting deeper than {MaxNesting} levels; the rest of this statement is not checked", hint);
            _overflowed = true;
            return false;
        }

        _nesting++;
        return true;
    }

    private Expression ParseExpression()
    {
        var start = Current;
        if (!Enter(start.Span))
        {
            return new MissingExpression(TextSpan.FromBounds(start.Span.Start, _previousEnd));
        }

        try
        {
            var condition = ParseBinary(2);
            if (!At(TokenKind.Question))
            {
                return condition;
            }

            Advance();
            var whenTrue = ParseExpression();
            Expect(TokenKind.Colon, "a conditional is written cond ? a : b");
            var whenFalse = ParseExpression();
            return new ConditionalExpression(condition, whenTrue, whenFalse, TextSpan.FromBounds(condition.Span.Start, whenFalse.Span.End));
        }
        finally
        {
            _nesting--;
        }
    }

    private Expression ParseBinary(int minimumPrecedence)
    {
        var left = ParseCast();
        var links = 0;
        try
        {
            while (!_overflowed)
            {
                var op = BinaryOperatorFor(Current.Kind);
                if (op is null || OperatorFacts.Precedence(op.Value) < minimumPrecedence)
                {
                    return left;
                }

                if (_inPredicate && At(TokenKind.Slash) && Peek(1).Kind == TokenKind.LeftBrace)
                {
                    return left;
                }

                // Each link deepens the (left-leaning) tree by one level.
                if (!Enter(Current.Span, ChainHint))
                {
                    return new MissingExpression(TextSpan.FromBounds(left.Span.Start, _previousEnd));
                }

                links++;
                Advance();
                var right = ParseBinary(OperatorFacts.Precedence(op.Value) + 1);
                left = new BinaryExpression(op.Value, left, right, TextSpan.FromBounds(left.Span.Start, right.Span.End));
            }

            return left;
        }
        finally
        {
            _nesting -= links;
        }
    }

    private static BinaryOperator? BinaryOperatorFor(TokenKind kind) => kind switch
    {
        TokenKind.PipePipe => BinaryOperator.LogicalOr,
        TokenKind.AmpersandAmpersand => BinaryOperator.LogicalAnd,
        TokenKind.Pipe => BinaryOperator.BitwiseOr,
        TokenKind.Caret => BinaryOperator.BitwiseXor,
        TokenKind.Ampersand => BinaryOperator.BitwiseAnd,
        TokenKind.EqualsEquals => BinaryOperator.Equal,
        TokenKind.BangEquals => BinaryOperator.NotEqual,
        TokenKind.Less => BinaryOperator.Less,
        TokenKind.Greater => BinaryOperator.Greater,
        TokenKind.LessEquals => BinaryOperator.LessOrEqual,
        TokenKind.GreaterEquals => BinaryOperator.GreaterOrEqual,
        TokenKind.LessLess => BinaryOperator.ShiftLeft,
        TokenKind.GreaterGreater => BinaryOperator.ShiftRight,
        TokenKind.Plus => BinaryOperator.Add,
        TokenKind.Minus => BinaryOperator.Subtract,
        TokenKind.Star => BinaryOperator.Multiply,
        TokenKind.Slash => BinaryOperator.Divide,
        TokenKind.Percent => BinaryOperator.Modulo,
        _ => null,
    };

    private Expression ParseCast()
    {
        var open = Current;
        if (open.Kind != TokenKind.LeftParen || TryReadCastType() is not { } cast)
        {
            return ParseUnary();
        }

        if (!Enter(open.Span))
        {
            return new MissingExpression(TextSpan.FromBounds(open.Span.Start, _previousEnd));
        }

        try
        {
            var operand = ParseCast();
            return new CastExpression(cast, operand, TextSpan.FromBounds(open.Span.Start, operand.Span.End));
        }
        finally
        {
            _nesting--;
        }
    }

    /// <summary>
    /// Reads <c>(type)</c> if the tokens after '(' form a cast, consuming them; otherwise consumes nothing.
    /// Like bpftrace 0.17: <c>(struct x *)</c>, <c>(uint8)</c>, <c>(pid_t *)</c>, and any <c>(NAME)</c> that is not a
    /// builtin — bpftrace always reads <c>(NAME)</c> as a cast, so <c>(AF_INET) + 1</c> is an error there too.
    /// </summary>
    private TypeSyntax? TryReadCastType()
    {
        var first = Peek(1);
        if (first.Kind != TokenKind.Identifier || BpftraceVocabulary.IsBuiltin(first.Text) || BpftraceVocabulary.Keywords.Contains(first.Text) && first.Text is not ("struct" or "union" or "enum"))
        {
            return null;
        }

        string name;
        var next = 2;
        string? unsupported = null;
        if (first.Text is "struct" or "union" or "enum")
        {
            if (Peek(2).Kind != TokenKind.Identifier)
            {
                return null;
            }

            name = first.Text + " " + Peek(2).Text;
            next = 3;
        }
        else if (Peek(2).Kind == TokenKind.Identifier && CTypeReplacement(first.Text, Peek(2).Text) is { } replacement)
        {
            unsupported = first.Text + " " + Peek(2).Text;
            name = replacement;
            next = 3;
        }
        else
        {
            name = first.Text;
        }

        var stars = 0;
        while (Peek(next + stars).Kind == TokenKind.Star)
        {
            stars++;
        }

        if (Peek(next + stars).Kind != TokenKind.RightParen)
        {
            return null;
        }

        if (unsupported is not null)
        {
            Report(SyntaxDiagnostics.UnsupportedType, TextSpan.FromBounds(first.Span.Start, Peek(2).Span.End),
                $"bpftrace does not know the C type '{unsupported}'", $"write '{name}' instead");
        }

        var isPlainName = stars == 0 && next == 2;
        if (isPlainName && !BpftraceVocabulary.IntegerTypes.Contains(name) && !CanStartCastOperand(Peek(next + 1)))
        {
            if (BpftraceVocabulary.IsFunction(name))
            {
                return null;
            }

            Report(SyntaxDiagnostics.ParenthesizedNameIsCast, TextSpan.FromBounds(Current.Span.Start, Peek(next).Span.End),
                $"bpftrace reads '({name})' as a cast to type '{name}'", $"write {name} without the parentheses");
            return null;
        }

        for (var i = 0; i <= next + stars - 1; i++)
        {
            Advance();
        }

        Advance();
        return new TypeSyntax(name, stars);
    }

    private static bool CanStartCastOperand(Token token) => token.Kind is TokenKind.Integer or TokenKind.String
        or TokenKind.Identifier or TokenKind.Variable or TokenKind.Map or TokenKind.PositionalParameter
        or TokenKind.LeftParen or TokenKind.Bang or TokenKind.Tilde or TokenKind.Minus or TokenKind.Star
        or TokenKind.PlusPlus or TokenKind.MinusMinus;

    private static string? CTypeReplacement(string first, string second) => (first, second) switch
    {
        ("unsigned", "char") => "uint8",
        ("unsigned", "short") => "uint16",
        ("unsigned", "int") => "uint32",
        ("unsigned", "long") => "uint64",
        ("signed", "char") => "int8",
        ("signed", "short") => "int16",
        ("signed", "int") => "int32",
        ("signed", "long") or ("long", "long") or ("long", "int") => "int64",
        _ => null,
    };

    private Expression ParseUnary()
    {
        var token = Current;
        UnaryOperator? op = token.Kind switch
        {
            TokenKind.Minus => UnaryOperator.Negate,
            TokenKind.Bang => UnaryOperator.LogicalNot,
            TokenKind.Tilde => UnaryOperator.BitwiseNot,
            TokenKind.Star => UnaryOperator.Dereference,
            TokenKind.PlusPlus => UnaryOperator.PreIncrement,
            TokenKind.MinusMinus => UnaryOperator.PreDecrement,
            TokenKind.Ampersand => UnaryOperator.AddressOf,
            _ => null,
        };
        if (op is null)
        {
            return ParsePostfix();
        }

        if (op == UnaryOperator.Negate && Peek(1).Kind == TokenKind.Integer)
        {
            Advance();
            var literal = Advance();
            return new IntegerLiteral(unchecked(0UL - literal.IntegerValue), true, "-" + literal.Text,
                TextSpan.FromBounds(token.Span.Start, literal.Span.End));
        }

        if (!Enter(token.Span))
        {
            return new MissingExpression(TextSpan.FromBounds(token.Span.Start, _previousEnd));
        }

        try
        {
            Advance();
            var operand = op is UnaryOperator.PreIncrement or UnaryOperator.PreDecrement ? ParseUnary() : ParseCast();
            if (op is UnaryOperator.PreIncrement or UnaryOperator.PreDecrement)
            {
                CheckIncrementTarget(token, operand);
            }

            return new UnaryExpression(op.Value, operand, TextSpan.FromBounds(token.Span.Start, operand.Span.End));
        }
        finally
        {
            _nesting--;
        }
    }

    private void CheckIncrementTarget(Token op, Expression operand)
    {
        if (operand is not (VariableExpression or MapExpression or MissingExpression))
        {
            Report(SyntaxDiagnostics.InvalidIncrementTarget, op.Span, $"the {op.Text} operator must be applied to a map or a variable",
                operand is IdentifierExpression identifier ? $"did you mean '${identifier.Name}'?" : null);
        }
    }

    private Expression ParsePostfix()
    {
        var expression = ParsePrimary();
        var links = 0;
        try
        {
            return ParsePostfixChain(expression, ref links);
        }
        finally
        {
            _nesting -= links;
        }
    }

    /// <summary>The <c>.f</c>, <c>->f</c>, <c>[i]</c> and <c>++</c> after a primary, each a level of the tree (counted in
    /// <paramref name="links"/>, released by the caller).</summary>
    private Expression ParsePostfixChain(Expression expression, ref int links)
    {
        while (!_overflowed)
        {
            var token = Current;
            if (token.Kind is TokenKind.Dot or TokenKind.Arrow or TokenKind.LeftBracket or TokenKind.PlusPlus or TokenKind.MinusMinus
                && expression is not MissingExpression)
            {
                if (!Enter(token.Span, ChainHint))
                {
                    return new MissingExpression(TextSpan.FromBounds(expression.Span.Start, _previousEnd));
                }

                links++;
            }

            switch (token.Kind)
            {
                case TokenKind.Dot:
                {
                    Advance();
                    var member = Current;
                    if (member.Kind == TokenKind.Integer)
                    {
                        Advance();
                        var index = member.IntegerValue > int.MaxValue ? int.MaxValue : (int)member.IntegerValue;
                        expression = new TupleAccessExpression(expression, index, TextSpan.FromBounds(expression.Span.Start, member.Span.End));
                    }
                    else if (member.Kind == TokenKind.Identifier)
                    {
                        Advance();
                        expression = new FieldAccessExpression(expression, member.Text, false, TextSpan.FromBounds(expression.Span.Start, member.Span.End));
                    }
                    else
                    {
                        Report(SyntaxDiagnostics.UnexpectedToken, member.Span, $"expected a field name or tuple index after '.', found {Describe(member)}");
                        return expression;
                    }

                    break;
                }

                case TokenKind.Arrow:
                {
                    Advance();
                    var member = Current;
                    if (member.Kind != TokenKind.Identifier)
                    {
                        Report(SyntaxDiagnostics.UnexpectedToken, member.Span, $"expected a field name after '->', found {Describe(member)}");
                        return expression;
                    }

                    Advance();
                    expression = new FieldAccessExpression(expression, member.Text, true, TextSpan.FromBounds(expression.Span.Start, member.Span.End));
                    break;
                }

                case TokenKind.LeftBracket:
                {
                    Advance();
                    var index = ParseExpression();
                    Expect(TokenKind.RightBracket, "close the index with ']'");
                    expression = new IndexExpression(expression, index, TextSpan.FromBounds(expression.Span.Start, _previousEnd));
                    break;
                }

                case TokenKind.PlusPlus or TokenKind.MinusMinus when expression is VariableExpression or MapExpression:
                {
                    Advance();
                    var op = token.Kind == TokenKind.PlusPlus ? UnaryOperator.PostIncrement : UnaryOperator.PostDecrement;
                    expression = new UnaryExpression(op, expression, TextSpan.FromBounds(expression.Span.Start, token.Span.End));
                    break;
                }

                case TokenKind.PlusPlus or TokenKind.MinusMinus when expression is not MissingExpression:
                    CheckIncrementTarget(token, expression);
                    Advance();
                    break;

                default:
                    return expression;
            }
        }

        return expression;
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Integer:
                Advance();
                return new IntegerLiteral(token.IntegerValue, false, token.Text, token.Span);
            case TokenKind.String:
                Advance();
                return new StringLiteral(token.StringValue ?? string.Empty, token.Text, token.Span);
            case TokenKind.Variable:
                Advance();
                return new VariableExpression(token.Text, token.Span);
            case TokenKind.PositionalParameter:
                Advance();
                return ParsePositional(token);
            case TokenKind.Map:
                Advance();
                if (!At(TokenKind.LeftBracket))
                {
                    return new MapExpression(token.Text, [], token.Span);
                }

                Advance();
                var keys = ParseArguments(TokenKind.RightBracket, allowTypes: false);
                if (keys.Length == 0)
                {
                    Report(SyntaxDiagnostics.ExpectedExpression, TextSpan.FromBounds(token.Span.Start, _previousEnd),
                        $"empty key for map {token.Text}", $"write the key, e.g. {token.Text}[pid], or drop the brackets");
                }

                return new MapExpression(token.Text, keys, TextSpan.FromBounds(token.Span.Start, _previousEnd));
            case TokenKind.Identifier:
                return ParseName();
            case TokenKind.LeftParen:
                return ParseParenthesized();
            default:
                Report(SyntaxDiagnostics.ExpectedExpression, token.Span, $"expected an expression, found {Describe(token)}",
                    token.Kind == TokenKind.Equals ? "assignments are statements; compare with '=='" : null);
                return new MissingExpression(TextSpan.Empty(token.Span.Start));
        }
    }

    private Expression ParsePositional(Token token)
    {
        if (token.Text == "$#")
        {
            return new PositionalParameterExpression(null, token.Span);
        }

        if (!int.TryParse(token.Text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index == 0)
        {
            Report(SyntaxDiagnostics.InvalidVariable, token.Span, $"positional parameter {token.Text} is out of range",
                "positional parameters are numbered from $1");
            index = Math.Max(1, index);
        }

        return new PositionalParameterExpression(index, token.Span);
    }

    private Expression ParseName()
    {
        var token = Advance();
        var name = token.Text;
        if (name is "true" or "false")
        {
            return new BooleanLiteral(name == "true", token.Span);
        }

        if (At(TokenKind.LeftParen))
        {
            Advance();
            var arguments = ParseArguments(TokenKind.RightParen, allowTypes: name is "sizeof" or "offsetof");
            var span = TextSpan.FromBounds(token.Span.Start, _previousEnd);
            if (arguments.Length == 0 && LanguageFeatures.IsBuiltinOfAnyRelease(name) && !BpftraceVocabulary.IsFunction(name))
            {
                // bpftrace 0.24's call-style builtin, comm(): the builtin it names.
                return new BuiltinExpression(name, span) { CallStyle = true };
            }

            if (!LanguageFeatures.IsFunctionOfAnyRelease(name) && !(_inAnnotation && BpftraceVocabulary.AnnotationFunctions.Contains(name)))
            {
                _unknownCalls.Add(token);
            }

            return new CallExpression(name, arguments, token.Span, span);
        }

        if (LanguageFeatures.IsBuiltinOfAnyRelease(name))
        {
            return new BuiltinExpression(name, token.Span);
        }

        if (BpftraceVocabulary.Keywords.Contains(name) || name == "assume" || name == "assert")
        {
            Report(SyntaxDiagnostics.ExpectedExpression, token.Span, $"'{name}' cannot be used as a value",
                name is "assume" or "assert" ? $"{name}(…) is a statement; write it on its own" : null);
            return new MissingExpression(token.Span);
        }

        return new IdentifierExpression(name, token.Span);
    }

    private void ReportUnknownFunction(Token name)
    {
        string? hint;
        if (LanguageFeatures.IsBuiltinOfAnyRelease(name.Text))
        {
            hint = $"'{name.Text}' is a builtin variable, not a function: write it without '()'";
        }
        else if (BpftraceVocabulary.AnnotationFunctions.Contains(name.Text))
        {
            hint = $"{name.Text}() exists only inside assume(…)/assert(…); in the program itself use bswap()";
        }
        else if (name.Text is "assume" or "assert")
        {
            hint = $"{name.Text}(…) is a statement; write it on its own, ending with ';'";
        }
        else
        {
            var suggestion = Suggestions.Closest(name.Text, BpftraceVocabulary.Functions);
            hint = suggestion is null ? null : $"did you mean '{suggestion}'?";
        }

        Report(SyntaxDiagnostics.UnknownFunction, name.Span, $"unknown function '{name.Text}'", hint);
    }

    private ImmutableArray<Expression> ParseArguments(TokenKind close, bool allowTypes)
    {
        var arguments = ImmutableArray.CreateBuilder<Expression>();
        var open = _previousEnd - 1;
        if (Accept(close))
        {
            return arguments.ToImmutable();
        }

        while (!_overflowed)
        {
            arguments.Add(allowTypes && TryReadTypeArgument() is { } type ? type : ParseExpression());
            if (Accept(TokenKind.Comma))
            {
                continue;
            }

            if (Accept(close))
            {
                break;
            }

            var closeText = TokenFacts.Spelling(close);
            Report(close == TokenKind.RightParen ? SyntaxDiagnostics.MissingCloseParen : SyntaxDiagnostics.UnexpectedToken, Current.Span,
                $"expected ',' or '{closeText}', found {Describe(Current)}",
                $"close the list opened at column {_source.GetLinePosition(open).Column} with '{closeText}'");
            break;
        }

        return arguments.ToImmutable();
    }

    /// <summary>A type argument of <c>sizeof</c>: <c>struct task_struct</c>, <c>uint64</c>.</summary>
    private TypeExpression? TryReadTypeArgument()
    {
        var first = Current;
        if (first.Kind != TokenKind.Identifier)
        {
            return null;
        }

        if (first.Text is "struct" or "union" or "enum" && Peek(1).Kind == TokenKind.Identifier)
        {
            Advance();
            var name = Advance();
            var stars = 0;
            while (Accept(TokenKind.Star))
            {
                stars++;
            }

            return new TypeExpression(new TypeSyntax(first.Text + " " + name.Text, stars), TextSpan.FromBounds(first.Span.Start, _previousEnd));
        }

        return null;
    }

    private Expression ParseParenthesized()
    {
        if (Peek(1).Kind == TokenKind.Identifier && Peek(2).Kind == TokenKind.Equals)
        {
            return ParseRecord();
        }

        var open = Advance();
        var first = ParseExpression();
        if (!At(TokenKind.Comma))
        {
            Expect(TokenKind.RightParen, $"add ')' to match the '(' at column {_source.GetLinePosition(open.Span.Start).Column}",
                SyntaxDiagnostics.MissingCloseParen);
            return first;
        }

        var elements = ImmutableArray.CreateBuilder<Expression>();
        elements.Add(first);
        while (!_overflowed && Accept(TokenKind.Comma))
        {
            elements.Add(ParseExpression());
        }

        Expect(TokenKind.RightParen, $"add ')' to match the '(' at column {_source.GetLinePosition(open.Span.Start).Column}",
            SyntaxDiagnostics.MissingCloseParen);
        return new TupleExpression(elements.ToImmutable(), TextSpan.FromBounds(open.Span.Start, _previousEnd));
    }
}
