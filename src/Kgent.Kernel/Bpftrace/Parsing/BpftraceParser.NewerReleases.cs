using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Lexing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Parsing;

/// <summary>The constructs bpftrace added after 0.17, which the parser reads whatever the target release: config
/// blocks, macros, map declarations, imports, <c>let</c>, <c>for</c> and records. Whether the target has them is the
/// checker's question (KG27xx), so a program in a newer dialect gets "needs bpftrace 0.22" rather than a syntax error.</summary>
public sealed partial class BpftraceParser
{
    /// <summary>Calls of names no release knows, reported at the end unless the program defines a macro of that name.</summary>
    private readonly List<Token> _unknownCalls = [];

    private bool _conditionWasBare;

    /// <summary>Set by the block just read when its last statement is an expression without ';'.</summary>
    private bool _endsWithValue;

    private static bool CanStartExpression(Token token) => token.Kind is TokenKind.Identifier or TokenKind.Variable or TokenKind.Map
        or TokenKind.Integer or TokenKind.String or TokenKind.PositionalParameter or TokenKind.LeftParen or TokenKind.Bang
        or TokenKind.Minus or TokenKind.Tilde or TokenKind.Star or TokenKind.Ampersand;

    /// <summary>At the top level, <c>config = {</c>, <c>macro name(</c>, <c>let @map =</c> or <c>import "…"</c>; null when
    /// the text there is none of them (a probe, then).</summary>
    private TopLevelItem? TryParseNewerTopLevel()
    {
        var first = Current;
        TopLevelItem? item = first.Kind != TokenKind.Identifier ? null : first.Text switch
        {
            "config" when Peek(1).Kind == TokenKind.Equals => ParseConfig(),
            "macro" when Peek(1).Kind == TokenKind.Identifier && Peek(2).Kind == TokenKind.LeftParen => ParseMacro(),
            "let" when Peek(1).Kind == TokenKind.Map => ParseMapDeclaration(),
            "import" when Peek(1).Kind == TokenKind.String => ParseImport(),
            _ => null,
        };
        if (item is null)
        {
            // A probe: its attach points are read by the raw scanners, from where the tokens began.
            RewindToRaw();
        }

        return item;
    }

    private ConfigBlock ParseConfig()
    {
        var start = Advance().Span.Start;
        Advance();
        var settings = ImmutableArray.CreateBuilder<ConfigSetting>();
        Expect(TokenKind.LeftBrace, "a config block is written config = { name = value; … }");
        while (!At(TokenKind.RightBrace) && !At(TokenKind.EndOfFile))
        {
            var name = Current;
            if (name.Kind != TokenKind.Identifier || Peek(1).Kind != TokenKind.Equals)
            {
                Report(SyntaxDiagnostics.UnexpectedToken, name.Span, $"expected a setting, name = value, found {Describe(name)}",
                    "write each setting as name = value; e.g. max_strlen = 128;");
                SkipBalanced();
                continue;
            }

            Advance();
            Advance();
            var value = ParseExpression();
            settings.Add(new ConfigSetting(name.Text, name.Span, value, TextSpan.FromBounds(name.Span.Start, _previousEnd)));
            if (!Accept(TokenKind.Semicolon) && !At(TokenKind.RightBrace))
            {
                Report(SyntaxDiagnostics.MissingSemicolon, TextSpan.Empty(_previousEnd), "expected ';' after this setting", "insert ';' here");
            }
        }

        Expect(TokenKind.RightBrace, "close the config block with '}'");
        return new ConfigBlock(settings.ToImmutable(), TextSpan.FromBounds(start, _previousEnd));
    }

    private MacroDefinition ParseMacro()
    {
        var start = Advance().Span.Start;
        var name = Advance();
        Advance();
        var parameters = ImmutableArray.CreateBuilder<Expression>();
        while (!At(TokenKind.RightParen) && !At(TokenKind.EndOfFile) && !_overflowed)
        {
            var parameter = Current;
            switch (parameter.Kind)
            {
                case TokenKind.Identifier:
                    Advance();
                    parameters.Add(new IdentifierExpression(parameter.Text, parameter.Span));
                    break;
                case TokenKind.Variable:
                    Advance();
                    parameters.Add(new VariableExpression(parameter.Text, parameter.Span));
                    break;
                case TokenKind.Map:
                    Advance();
                    parameters.Add(new MapExpression(parameter.Text, [], parameter.Span));
                    break;
                default:
                    Report(SyntaxDiagnostics.UnexpectedToken, parameter.Span, $"expected a macro parameter, found {Describe(parameter)}",
                        "a macro's parameters are names, $variables or @maps: macro f(x, $v, @m) { … }");
                    SkipBalanced();
                    break;
            }

            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }

        Expect(TokenKind.RightParen, "close the parameter list with ')'", SyntaxDiagnostics.MissingCloseParen);
        var body = ParseBody("macro " + name.Text + "(…)");
        body = body with { EndsWithValue = _endsWithValue };
        return new MacroDefinition(name.Text, name.Span, parameters.ToImmutable(), body, TextSpan.FromBounds(start, _previousEnd));
    }

    private MapDeclaration ParseMapDeclaration()
    {
        var start = Advance().Span.Start;
        var map = Advance();
        Expect(TokenKind.Equals, "a map declaration is written let @name = hash(1024);");
        var kindToken = Current;
        Expression kind;
        if (kindToken.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.LeftParen)
        {
            // The map's kind is a call of its own vocabulary (hash, lruhash, …), never a function call.
            Advance();
            Advance();
            var arguments = ParseArguments(TokenKind.RightParen, allowTypes: false);
            kind = new CallExpression(kindToken.Text, arguments, kindToken.Span, TextSpan.FromBounds(kindToken.Span.Start, _previousEnd));
        }
        else
        {
            kind = ParseExpression();
        }

        Expect(TokenKind.Semicolon, "end the declaration with ';'", SyntaxDiagnostics.MissingSemicolon);
        return new MapDeclaration(new MapExpression(map.Text, [], map.Span), kind, TextSpan.FromBounds(start, _previousEnd));
    }

    private ImportDirective ParseImport()
    {
        var start = Advance().Span.Start;
        var path = Advance();
        Expect(TokenKind.Semicolon, "end the import with ';'", SyntaxDiagnostics.MissingSemicolon);
        return new ImportDirective(path.StringValue ?? string.Empty, path.Text, TextSpan.FromBounds(start, _previousEnd));
    }

    /// <summary><c>let $p = value;</c>, <c>let $p;</c> or <c>let $p: uint64 = 0;</c>, bpftrace 0.22's declarations.</summary>
    private Statement ParseLet()
    {
        var let = Advance();
        var variableToken = Advance();
        var variable = new VariableExpression(variableToken.Text, variableToken.Span);
        TypeSyntax? type = null;
        if (Accept(TokenKind.Colon))
        {
            type = TryReadDeclaredType();
            if (type is null)
            {
                Report(SyntaxDiagnostics.UnexpectedToken, Current.Span, $"expected a type after ':', found {Describe(Current)}",
                    "write the type, e.g. let $n: uint64 = 0;");
            }
        }

        if (!Accept(TokenKind.Equals))
        {
            return new VariableDeclaration(variable, type, TextSpan.FromBounds(let.Span.Start, _previousEnd));
        }

        var value = ParseExpression();
        return new AssignmentStatement(variable, null, value, TextSpan.FromBounds(let.Span.Start, _previousEnd))
        {
            Let = let.Span,
            DeclaredType = type,
        };
    }

    /// <summary>The type of a declaration: <c>uint64</c>, <c>struct task_struct *</c>, <c>string</c>, <c>int8[4]</c>.</summary>
    private TypeSyntax? TryReadDeclaredType()
    {
        var first = Current;
        if (first.Kind != TokenKind.Identifier)
        {
            return null;
        }

        Advance();
        var name = first.Text;
        if (name is "struct" or "union" or "enum" && At(TokenKind.Identifier))
        {
            name += " " + Advance().Text;
        }

        if (Accept(TokenKind.LeftBracket))
        {
            var size = Current.Kind == TokenKind.Integer ? Advance().Text : string.Empty;
            Expect(TokenKind.RightBracket, "close the size with ']'");
            name += "[" + size + "]";
        }

        var stars = 0;
        while (Accept(TokenKind.Star))
        {
            stars++;
        }

        return new TypeSyntax(name, stars);
    }

    /// <summary><c>for ($kv : @map) { … }</c> or <c>for $i : 0..10 { … }</c>.</summary>
    private Statement ParseFor()
    {
        var start = Advance().Span.Start;
        var parenthesized = Accept(TokenKind.LeftParen);
        var variableToken = Current;
        VariableExpression variable;
        if (variableToken.Kind == TokenKind.Variable)
        {
            Advance();
            variable = new VariableExpression(variableToken.Text, variableToken.Span);
        }
        else
        {
            Report(SyntaxDiagnostics.UnexpectedToken, variableToken.Span, $"expected the loop variable, found {Describe(variableToken)}",
                "write for ($kv : @map) { … } or for ($i : 0..10) { … }");
            variable = new VariableExpression("$", TextSpan.Empty(variableToken.Span.Start));
        }

        Expect(TokenKind.Colon, "separate the loop variable from what it runs over with ':'");
        var source = ParseExpression();
        if (Accept(TokenKind.DotDot))
        {
            var end = ParseExpression();
            source = new RangeExpression(source, end, TextSpan.FromBounds(source.Span.Start, end.Span.End));
        }
        else if (source is not (MapExpression { Keys.Length: 0 } or MissingExpression))
        {
            Report(SyntaxDiagnostics.UnexpectedToken, source.Span, "a for loop runs over a map (without a key) or a range start..end",
                "write for ($kv : @map) { … } or for ($i : 0..10) { … }");
        }

        if (parenthesized)
        {
            Expect(TokenKind.RightParen, "close the loop header with ')'", SyntaxDiagnostics.MissingCloseParen);
        }

        var body = ParseBody("for");
        return new ForStatement(variable, source, body, TextSpan.FromBounds(start, _previousEnd)) { BareHeader = !parenthesized };
    }

    /// <summary><c>(name = value, …)</c>, bpftrace 0.25's record.</summary>
    private Expression ParseRecord()
    {
        var open = Advance();
        var fields = ImmutableArray.CreateBuilder<RecordField>();
        while (!_overflowed)
        {
            var name = Current;
            if (name.Kind != TokenKind.Identifier || Peek(1).Kind != TokenKind.Equals)
            {
                Report(SyntaxDiagnostics.UnexpectedToken, name.Span, $"expected a record field, name = value, found {Describe(name)}",
                    "every element of a record is named: (name = comm, pid = pid)");
                break;
            }

            Advance();
            Advance();
            var value = ParseExpression();
            fields.Add(new RecordField(name.Text, name.Span, value, TextSpan.FromBounds(name.Span.Start, _previousEnd)));
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }

        Expect(TokenKind.RightParen, $"add ')' to match the '(' at column {_source.GetLinePosition(open.Span.Start).Column}",
            SyntaxDiagnostics.MissingCloseParen);
        return new RecordExpression(fields.ToImmutable(), TextSpan.FromBounds(open.Span.Start, _previousEnd));
    }

    /// <summary>Reports the calls of names that no bpftrace release knows and the program does not define as a macro.</summary>
    private void ReportUnknownFunctions(IEnumerable<TopLevelItem> items)
    {
        var macros = items.OfType<MacroDefinition>().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var call in _unknownCalls.Where(c => !macros.Contains(c.Text)))
        {
            ReportUnknownFunction(call);
        }
    }
}
