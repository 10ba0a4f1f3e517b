using System.Text;
using Kgent.Kernel.Bpftrace.Lexing;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Printing;

/// <summary>
/// Prints a program in Kgent's canonical form: one attach point per line, predicate on its own line, braces on
/// their own lines for probes, two-space indentation, one statement per line, minimal parentheses (only where
/// precedence needs them), literals as written. Comments are kept: a comment before a statement stays before it,
/// one after a statement on the same line stays after it, and single blank lines between statements are kept.
/// Parsing the output gives a tree structurally equal to the input's.
/// </summary>
public sealed class BpftracePrinter
{
    private const string IndentUnit = "  ";
    private const int MaxIndent = 32;

    private readonly StringBuilder _out = new();
    private readonly List<Comment> _comments;
    private readonly SourceText? _source;
    private int _nextComment;
    private int _indent;
    private int _lastSourceEnd = -1;

    private BpftracePrinter(BpftraceProgram program, SourceText? source)
    {
        _source = source;
        _comments = source is null ? [] : [.. program.Comments.OrderBy(c => c.Span.Start)];
    }

    /// <summary>Prints with comments and blank lines taken from the source the program was parsed from.</summary>
    public static string Print(ParseResult result) => Print(result.Program, result.Source);

    /// <summary>Prints a program; pass the source it was parsed from to keep its comments.</summary>
    public static string Print(BpftraceProgram program, SourceText? source = null)
    {
        var printer = new BpftracePrinter(program, source);
        printer.WriteProgram(program);
        return printer._out.ToString();
    }

    /// <summary>Prints one expression in canonical form.</summary>
    public static string Print(Expression expression)
    {
        var printer = new BpftracePrinter(new BpftraceProgram([], [], default), null);
        printer.WriteExpression(expression);
        return printer._out.ToString();
    }

    private void WriteProgram(BpftraceProgram program)
    {
        TopLevelItem? previous = null;
        foreach (var item in program.Items)
        {
            if (previous is not null && !(previous is PreprocessorDirective && item is PreprocessorDirective))
            {
                _out.Append('\n');
            }

            _lastSourceEnd = -1;
            WriteLeadingComments(item switch { Probe probe => probe.Body.Span.Start, MacroDefinition macro => macro.Body.Span.Start, _ => item.Span.End }, item.Span.Start);
            switch (item)
            {
                case PreprocessorDirective directive:
                    _out.Append(directive.Text);
                    break;
                case CDefinition definition:
                    _out.Append(definition.Text);
                    break;
                case Probe p:
                    WriteProbe(p);
                    break;
                case ConfigBlock config:
                    WriteConfig(config);
                    break;
                case MacroDefinition macro:
                    WriteMacro(macro);
                    break;
                case MapDeclaration declaration:
                    _out.Append("let ");
                    WriteExpression(declaration.Map);
                    _out.Append(" = ");
                    WriteExpression(declaration.Kind);
                    _out.Append(';');
                    break;
                case ImportDirective import:
                    _out.Append("import ").Append(import.PathText).Append(';');
                    break;
            }

            WriteTrailingComment(item.Span.End);
            _out.Append('\n');
            previous = item;
        }

        if (_nextComment < _comments.Count && program.Items.Length > 0)
        {
            _out.Append('\n');
        }

        WriteLeadingComments(int.MaxValue);
    }

    private void WriteProbe(Probe probe)
    {
        _out.Append(string.Join(",\n", probe.AttachPoints.Select(a => a.CanonicalText)));
        _out.Append('\n');
        if (probe.Predicate is not null)
        {
            _out.Append('/');
            WriteExpression(probe.Predicate);
            _out.Append("/\n");
        }

        WriteBlock(probe.Body);
    }

    private void WriteConfig(ConfigBlock config)
    {
        _out.Append("config = {\n");
        foreach (var setting in config.Settings)
        {
            _out.Append("  ").Append(setting.Name).Append(" = ");
            WriteExpression(setting.Value);
            _out.Append(";\n");
        }

        _out.Append('}');
    }

    private void WriteMacro(MacroDefinition macro)
    {
        _out.Append("macro ").Append(macro.Name).Append('(');
        WriteList(macro.Parameters);
        _out.Append(")\n");
        WriteBlock(macro.Body);
    }

    /// <summary>Writes <c>{ … }</c>; the opening brace goes wherever the caller left the cursor.</summary>
    private void WriteBlock(Block block)
    {
        _out.Append("{\n");
        _indent++;
        _lastSourceEnd = -1;
        for (var i = 0; i < block.Statements.Length; i++)
        {
            // A macro's value, its last expression, keeps having no ';'.
            WriteStatement(block.Statements[i], terminate: !(block.EndsWithValue && i == block.Statements.Length - 1));
        }

        WriteLeadingComments(block.Span.End);
        _indent--;
        WriteIndent();
        _out.Append('}');
        _lastSourceEnd = block.Span.End;
    }

    private void WriteStatement(Statement statement, bool terminate = true)
    {
        WriteLeadingComments(LeadingLimit(statement), statement.Span.Start);
        WriteIndent();
        switch (statement)
        {
            case Block block:
                WriteBlock(block);
                break;
            case ExpressionStatement expression:
                WriteExpression(expression.Expression);
                if (terminate)
                {
                    _out.Append(';');
                }

                break;
            case VariableDeclaration declaration:
                _out.Append("let ");
                WriteExpression(declaration.Variable);
                if (declaration.Type is not null)
                {
                    _out.Append(": ").Append(declaration.Type);
                }

                _out.Append(';');
                break;
            case ForStatement loop:
                _out.Append("for (");
                WriteExpression(loop.Variable);
                _out.Append(" : ");
                WriteExpression(loop.Source);
                _out.Append(") ");
                WriteBlock(loop.Body);
                break;
            case AssignmentStatement assignment:
                if (assignment.Let is not null)
                {
                    _out.Append("let ");
                }

                WriteExpression(assignment.Target);
                if (assignment.DeclaredType is not null)
                {
                    _out.Append(": ").Append(assignment.DeclaredType);
                }

                _out.Append(assignment.CompoundOperator is { } op ? $" {OperatorFacts.Spelling(op)}= " : " = ");
                WriteExpression(assignment.Value);
                _out.Append(';');
                break;
            case IfStatement conditional:
                WriteIf(conditional);
                break;
            case WhileStatement loop:
                _out.Append("while (");
                WriteExpression(loop.Condition);
                _out.Append(") ");
                WriteBlock(loop.Body);
                break;
            case UnrollStatement unroll:
                _out.Append("unroll(");
                WriteExpression(unroll.Count);
                _out.Append(") ");
                WriteBlock(unroll.Body);
                break;
            case JumpStatement jump:
                _out.Append(jump.Keyword);
                if (jump.Value is not null)
                {
                    _out.Append(' ');
                    WriteExpression(jump.Value);
                }

                _out.Append(';');
                break;
            case AnnotationStatement annotation:
                _out.Append(annotation.Keyword).Append('(');
                WriteExpression(annotation.Condition);
                _out.Append(");");
                break;
        }

        WriteTrailingComment(statement.Span.End);
        _out.Append('\n');
        _lastSourceEnd = statement.Span.End;
    }

    private void WriteIf(IfStatement conditional)
    {
        _out.Append("if (");
        WriteExpression(conditional.Condition);
        _out.Append(") ");
        WriteBlock(conditional.Then);
        switch (conditional.Else)
        {
            case IfStatement elseIf:
                _out.Append(" else ");
                WriteIf(elseIf);
                break;
            case Block block:
                _out.Append(" else ");
                WriteBlock(block);
                break;
        }
    }

    /// <summary>Comments that start before this offset are printed before the statement: everything up to its
    /// first nested block, so a comment inside a condition or argument list is not lost or moved into a block.</summary>
    private static int LeadingLimit(Statement statement) => statement switch
    {
        Block block => block.Span.Start + 1,
        IfStatement conditional => conditional.Then.Span.Start,
        WhileStatement loop => loop.Body.Span.Start,
        UnrollStatement unroll => unroll.Body.Span.Start,
        ForStatement loop => loop.Body.Span.Start,
        _ => statement.Span.End,
    };

    private void WriteLeadingComments(int before, int? nextCodeStart = null)
    {
        while (_nextComment < _comments.Count && _comments[_nextComment].Span.Start < before)
        {
            var comment = _comments[_nextComment++];
            WriteBlankLineIfSourceHadOne(comment.Span.Start);
            WriteIndent();
            _out.Append(comment.Text).Append('\n');
            _lastSourceEnd = comment.Span.End;
        }

        if (nextCodeStart is { } start)
        {
            WriteBlankLineIfSourceHadOne(start);
        }
    }

    private void WriteTrailingComment(int statementEnd)
    {
        if (_source is null || _nextComment >= _comments.Count)
        {
            return;
        }

        var comment = _comments[_nextComment];
        var commentLine = _source.GetLinePosition(comment.Span.Start).Line;
        var endLine = _source.GetLinePosition(statementEnd).Line;
        var multiLine = comment.Text.Contains('\n');
        if (commentLine == endLine && !multiLine && !HasCodeBetween(statementEnd, comment.Span.Start))
        {
            _out.Append(' ').Append(comment.Text);
            _nextComment++;
        }
    }

    /// <summary>True when something other than ';', ',' or whitespace stands between the end of a statement and a comment.</summary>
    private bool HasCodeBetween(int start, int end)
    {
        for (var i = start; i < end && _source is not null; i++)
        {
            var c = _source.Text[i];
            if (!char.IsWhiteSpace(c) && c is not (';' or ','))
            {
                return true;
            }
        }

        return false;
    }

    private void WriteBlankLineIfSourceHadOne(int nextStart)
    {
        if (_source is null || _lastSourceEnd < 0 || nextStart <= _lastSourceEnd || nextStart > _source.Length)
        {
            return;
        }

        var newlines = 0;
        for (var i = _lastSourceEnd; i < nextStart; i++)
        {
            if (_source.Text[i] == '\n')
            {
                newlines++;
            }
        }

        if (newlines >= 2)
        {
            _out.Append('\n');
        }

        _lastSourceEnd = -1;
    }

    /// <summary>Indents by the block depth, up to <see cref="MaxIndent"/> levels: blocks nested deeper line up with the
    /// deepest indented one, so a program nested hundreds of levels deep does not grow by megabytes of spaces.</summary>
    private void WriteIndent()
    {
        for (var i = 0; i < Math.Min(_indent, MaxIndent); i++)
        {
            _out.Append(IndentUnit);
        }
    }

    // ---------------------------------------------------------------- expressions

    private void WriteExpression(Expression expression)
    {
        switch (expression)
        {
            case IntegerLiteral integer:
                _out.Append(integer.Text);
                break;
            case StringLiteral text:
                _out.Append(text.Text);
                break;
            case IdentifierExpression identifier:
                _out.Append(identifier.Name);
                break;
            case BuiltinExpression builtin:
                _out.Append(builtin.Name).Append(builtin.CallStyle ? "()" : string.Empty);
                break;
            case BooleanLiteral boolean:
                _out.Append(boolean.Value ? "true" : "false");
                break;
            case RangeExpression range:
                WriteExpression(range.Start);
                _out.Append("..");
                WriteExpression(range.End);
                break;
            case RecordExpression record:
                _out.Append('(');
                for (var i = 0; i < record.Fields.Length; i++)
                {
                    _out.Append(i > 0 ? ", " : string.Empty).Append(record.Fields[i].Name).Append(" = ");
                    WriteExpression(record.Fields[i].Value);
                }

                _out.Append(')');
                break;
            case VariableExpression variable:
                _out.Append(variable.Name);
                break;
            case PositionalParameterExpression parameter:
                _out.Append(parameter.Text);
                break;
            case MapExpression map:
                _out.Append(map.Name);
                if (map.Keys.Length > 0)
                {
                    _out.Append('[');
                    WriteList(map.Keys);
                    _out.Append(']');
                }

                break;
            case CallExpression call:
                _out.Append(call.Name).Append('(');
                WriteList(call.Arguments);
                _out.Append(')');
                break;
            case TupleExpression tuple:
                _out.Append('(');
                WriteList(tuple.Elements);
                _out.Append(')');
                break;
            case TypeExpression type:
                _out.Append(type.Type);
                break;
            case UnaryExpression unary:
                WriteUnary(unary);
                break;
            case BinaryExpression binary:
            {
                var precedence = OperatorFacts.Precedence(binary.Operator);
                WriteOperand(binary.Left, OperatorFacts.Precedence(binary.Left) < precedence);
                _out.Append(' ').Append(OperatorFacts.Spelling(binary.Operator)).Append(' ');
                WriteOperand(binary.Right, OperatorFacts.Precedence(binary.Right) <= precedence);
                break;
            }

            case ConditionalExpression conditional:
                WriteOperand(conditional.Condition, OperatorFacts.Precedence(conditional.Condition) <= OperatorFacts.ConditionalPrecedence);
                _out.Append(" ? ");
                WriteExpression(conditional.WhenTrue);
                _out.Append(" : ");
                WriteExpression(conditional.WhenFalse);
                break;
            case CastExpression cast:
                _out.Append('(').Append(cast.Type).Append(')');
                WriteOperand(cast.Operand, OperatorFacts.Precedence(cast.Operand) < OperatorFacts.UnaryPrecedence);
                break;
            case FieldAccessExpression field:
                WritePostfixTarget(field.Target);
                _out.Append(field.IsArrow ? "->" : ".").Append(field.Field);
                break;
            case IndexExpression index:
                WritePostfixTarget(index.Target);
                _out.Append('[');
                WriteExpression(index.Index);
                _out.Append(']');
                break;
            case TupleAccessExpression access:
                WritePostfixTarget(access.Target);
                _out.Append('.').Append(access.Index);
                break;
            case MissingExpression:
                _out.Append("/*missing*/");
                break;
        }
    }

    private void WriteUnary(UnaryExpression unary)
    {
        if (unary.IsPostfix)
        {
            WritePostfixTarget(unary.Operand);
            _out.Append(OperatorFacts.Spelling(unary.Operator));
            return;
        }

        _out.Append(OperatorFacts.Spelling(unary.Operator));
        var operand = unary.Operand;

        // "-(5)" must not become "-5" (a negative literal) and "- -x" must not become "--x" (a decrement).
        var wouldMerge = unary.Operator switch
        {
            UnaryOperator.Negate or UnaryOperator.PreDecrement => operand is IntegerLiteral || StartsWith(operand, '-'),
            UnaryOperator.PreIncrement => StartsWith(operand, '+'),
            _ => false,
        };
        WriteOperand(operand, wouldMerge || OperatorFacts.Precedence(operand) < OperatorFacts.UnaryPrecedence);
    }

    private static bool StartsWith(Expression expression, char c) => expression switch
    {
        IntegerLiteral { IsNegative: true } => c == '-',
        UnaryExpression { IsPostfix: false } unary => OperatorFacts.Spelling(unary.Operator)[0] == c,
        _ => false,
    };

    private void WritePostfixTarget(Expression target) =>
        WriteOperand(target, OperatorFacts.Precedence(target) < OperatorFacts.PostfixPrecedence);

    private void WriteOperand(Expression operand, bool parenthesize)
    {
        if (parenthesize)
        {
            _out.Append('(');
        }

        WriteExpression(operand);
        if (parenthesize)
        {
            _out.Append(')');
        }
    }

    private void WriteList(IEnumerable<Expression> expressions)
    {
        var first = true;
        foreach (var expression in expressions)
        {
            if (!first)
            {
                _out.Append(", ");
            }

            WriteExpression(expression);
            first = false;
        }
    }
}
