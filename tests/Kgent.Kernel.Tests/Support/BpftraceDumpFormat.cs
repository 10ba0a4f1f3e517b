using System.Globalization;
using System.Text;
using Kgent.Kernel.Bpftrace.Language;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Tests.Support;

/// <summary>
/// Renders a Kgent tree the way bpftrace 0.17's <c>-d</c> prints its parser AST (types stripped), so the two
/// parsers can be compared line by line. It reproduces that printer's quirks as observed on this host:
/// <c>a->f</c> is <c>.</c> over <c>dereference</c>, compound assignment is desugared, a cast shows at most one '*',
/// and after every <c>while</c> the indentation of everything that follows grows by two. With
/// <see cref="Release.V0_23"/> it prints as 0.23.2's <c>-d ast</c> does: config blocks, <c>decl</c> for a declaration,
/// several map keys as one tuple and <c>struct sock *</c> with its space.
/// </summary>
public sealed class BpftraceDumpFormat
{
    private readonly List<string> _lines = [];
    private readonly Release _release;
    private int _depth;

    /// <summary>Whose <c>-d</c> format: 0.17's, or 0.23's (<c>-d ast</c>), which prints the later constructs too.</summary>
    public enum Release
    {
        V0_17,
        V0_23,
    }

    private BpftraceDumpFormat(Release release)
    {
        _release = release;
    }

    public static List<string> Render(BpftraceProgram program, Release release = Release.V0_17)
    {
        var format = new BpftraceDumpFormat(release);
        format.Line("Program");
        format._depth++;
        foreach (var item in program.Items)
        {
            switch (item)
            {
                case ConfigBlock config:
                    format.WriteConfig(config);
                    break;
                case Probe probe:
                    format.WriteProbe(probe);
                    break;
            }
        }

        return format._lines;
    }

    /// <summary>bpftrace resolves #define and enum constants (AF_INET) to integers before it prints, so an
    /// identifier of ours matches an integer of theirs.</summary>
    /// <summary>It also resolves a uprobe's library name to the library's path on this host
    /// (<c>uprobe:libc:f</c> becomes <c>uprobe:/lib/x86_64-linux-gnu/libc.so.6:f</c>).</summary>
    public static bool LinesMatch(string ours, string theirs) =>
        ours == theirs
        || (ours.TrimStart().StartsWith("identifier: ", StringComparison.Ordinal)
            && theirs.TrimStart().StartsWith("int: ", StringComparison.Ordinal)
            && Indent(ours) == Indent(theirs))
        || IsResolvedLibrary(ours, theirs);

    private static bool IsResolvedLibrary(string ours, string theirs)
    {
        var mine = ours.Trim().Split(':');
        var reference = theirs.Trim().Split(':');
        return mine.Length == 3 && reference.Length == 3
            && mine[0] is "uprobe" or "uretprobe" && mine[0] == reference[0] && mine[2] == reference[2]
            && !mine[1].Contains('/') && reference[1].StartsWith('/')
            && Path.GetFileName(reference[1]).StartsWith(mine[1] + ".so", StringComparison.Ordinal);
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private void Line(string text) => _lines.Add(new string(' ', _depth) + text);

    /// <summary>A line at an indent captured when the node began, as bpftrace's printer does for its labels.</summary>
    private void LineAt(int indent, string text) => _lines.Add(new string(' ', indent) + text);

    /// <summary>0.23: <c>config</c>, then per setting <c>=</c> over <c>config var: NAME</c> and the value.</summary>
    private void WriteConfig(ConfigBlock config)
    {
        Line("config");
        _depth++;
        foreach (var setting in config.Settings)
        {
            Line("=");
            _depth++;
            Line("config var: " + setting.Name);
            WriteExpression(setting.Value);
            _depth--;
        }

        _depth--;
    }

    private void WriteProbe(Probe probe)
    {
        foreach (var attachPoint in probe.AttachPoints)
        {
            Line(AttachPointName(attachPoint));
        }

        _depth++;
        if (probe.Predicate is not null)
        {
            Line("pred");
            _depth++;
            WriteExpression(probe.Predicate);
            _depth--;
        }

        WriteStatements(probe.Body);
        _depth--;
    }

    private static string AttachPointName(AttachPoint attachPoint)
    {
        var parts = attachPoint.Parts.Select(p => p.Length >= 2 && p[0] == '"' && p[^1] == '"' ? p[1..^1] : p).ToList();
        if (parts.Count > 0 && attachPoint.Type is ProbeType.Kprobe or ProbeType.Uprobe)
        {
            var last = parts[^1];
            var plus = last.IndexOf("+0x", StringComparison.Ordinal);
            if (plus > 0)
            {
                var offset = ulong.Parse(last[(plus + 3)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                parts[^1] = last[..(plus + 1)] + offset.ToString(CultureInfo.InvariantCulture);
            }
        }

        return attachPoint.Type is ProbeType.Begin or ProbeType.End
            ? attachPoint.Text
            : string.Join(':', new[] { ProbeTypeInfo.Of(attachPoint.Type).Name }.Concat(parts));
    }

    private void WriteStatements(Block block)
    {
        foreach (var statement in block.Statements)
        {
            WriteStatement(statement);
        }
    }

    private void WriteStatement(Statement statement)
    {
        switch (statement)
        {
            case ExpressionStatement expression:
                WriteExpression(expression.Expression);
                break;
            case AssignmentStatement { Let: not null } declaration when _release >= Release.V0_23:
                Line("decl");
                Children([declaration.Target, declaration.Value]);
                break;
            case ForStatement loop when _release >= Release.V0_23:
                Line("for");
                _depth++;
                Line("decl");
                Children([loop.Variable]);
                Line("expr");
                Children([loop.Source]);
                Line("stmts");
                _depth++;
                WriteStatements(loop.Body);
                _depth -= 2;
                break;
            case AssignmentStatement assignment:
                Line("=");
                _depth++;
                WriteExpression(assignment.Target);
                if (assignment.CompoundOperator is { } op)
                {
                    WriteExpression(new BinaryExpression(op, assignment.Target, assignment.Value, assignment.Span));
                }
                else
                {
                    WriteExpression(assignment.Value);
                }

                _depth--;
                break;
            case IfStatement conditional:
                WriteIf(conditional);
                break;
            case UnrollStatement unroll:
            {
                var indent = _depth;
                Line("unroll");
                _depth++;
                WriteExpression(unroll.Count);
                LineAt(indent + 1, "block");
                _depth++;
                WriteStatements(unroll.Body);
                _depth -= 2;
                break;
            }

            case WhileStatement loop:
            {
                var indent = _depth;
                Line("while(");
                _depth++;
                WriteExpression(loop.Condition);
                LineAt(indent + 1, ")");
                _depth++;
                WriteStatements(loop.Body);
                break;
            }

            case VariableDeclaration declaration:
                Line("decl");
                Children([declaration.Variable]);
                break;
            case JumpStatement jump:
                Line(jump.Keyword);
                if (jump.Value is not null)
                {
                    _depth++;
                    WriteExpression(jump.Value);
                    _depth--;
                }

                break;
            default:
                Line("unsupported statement " + statement.GetType().Name);
                break;
        }
    }

    private void WriteIf(IfStatement conditional)
    {
        var indent = _depth;
        Line("if");
        _depth++;
        WriteExpression(conditional.Condition);
        LineAt(indent + 1, "then");
        _depth++;
        WriteStatements(conditional.Then);
        if (conditional.Else is not null)
        {
            LineAt(indent + 1, "else");
            if (conditional.Else is IfStatement elseIf)
            {
                WriteIf(elseIf);
            }
            else
            {
                WriteStatements((Block)conditional.Else);
            }
        }

        _depth -= 2;
    }

    private void WriteExpression(Expression expression, bool stackModeArgument = false)
    {
        switch (expression)
        {
            case IntegerLiteral integer:
                Line("int: " + integer.SignedValue.ToString(CultureInfo.InvariantCulture));
                break;
            case StringLiteral text:
                Line("string: " + Escape(text.Value));
                break;
            case IdentifierExpression identifier:
                Line((stackModeArgument && BpftraceVocabulary.StackModes.Contains(identifier.Name) ? "stack_mode: " : "identifier: ") + identifier.Name);
                break;
            case TypeExpression type:
                Line("identifier: " + type.Type.Name);
                break;
            case BuiltinExpression builtin:
                Line("builtin: " + builtin.Name);
                break;
            case VariableExpression variable:
                Line("variable: " + variable.Name);
                break;
            case PositionalParameterExpression parameter:
                Line("param: " + parameter.Text);
                break;
            case MapExpression map:
                Line("map: " + map.Name);
                if (_release >= Release.V0_23 && map.Keys.Length > 1)
                {
                    // 0.23 keys a map by one expression: several keys are a tuple.
                    _depth++;
                    Line("tuple:");
                    Children(map.Keys);
                    _depth--;
                }
                else
                {
                    Children(map.Keys);
                }

                break;
            case CallExpression { Name: "offsetof", Arguments: [TypeExpression type, var field] } when _release >= Release.V0_23:
                Line("offsetof: ");
                _depth++;
                Line(type.Type.Name);
                Line(Bpftrace.Printing.BpftracePrinter.Print(field));
                _depth--;
                break;
            case CallExpression call:
                Line("call: " + call.Name);
                _depth++;
                for (var i = 0; i < call.Arguments.Length; i++)
                {
                    WriteExpression(call.Arguments[i], i == 0 && call.Name is "kstack" or "ustack");
                }

                _depth--;
                break;
            case TupleExpression tuple:
                Line("tuple:");
                Children(tuple.Elements);
                break;
            case UnaryExpression { IsPostfix: true } postfix:
                WriteExpression(postfix.Operand);
                _depth++;
                Line(OperatorFacts.Spelling(postfix.Operator));
                _depth--;
                break;
            case UnaryExpression unary:
                Line(unary.Operator == UnaryOperator.Dereference ? "dereference" : OperatorFacts.Spelling(unary.Operator));
                Children([unary.Operand]);
                break;
            case BinaryExpression binary:
                Line(OperatorFacts.Spelling(binary.Operator));
                Children([binary.Left, binary.Right]);
                break;
            case ConditionalExpression conditional:
                Line("?:");
                Children([conditional.Condition, conditional.WhenTrue, conditional.WhenFalse]);
                break;
            case CastExpression cast:
                Line("(" + cast.Type.Name + (cast.Type.PointerDepth == 0 ? string.Empty : _release >= Release.V0_23 ? " *" : "*") + ")");
                Children([cast.Operand]);
                break;
            case FieldAccessExpression field:
            {
                var indent = _depth;
                Line(".");
                _depth++;
                if (field.IsArrow)
                {
                    Line("dereference");
                    Children([field.Target]);
                }
                else
                {
                    WriteExpression(field.Target);
                }

                LineAt(indent + 1, field.Field);
                _depth--;
                break;
            }

            case TupleAccessExpression access:
            {
                var indent = _depth;
                Line(".");
                _depth++;
                WriteExpression(access.Target);
                LineAt(indent + 1, access.Index.ToString(CultureInfo.InvariantCulture));
                _depth--;
                break;
            }

            case IndexExpression index:
                Line("[]");
                Children([index.Target, index.Index]);
                break;
            default:
                Line("unsupported expression " + expression.GetType().Name);
                break;
        }
    }

    private void Children(IEnumerable<Expression> children)
    {
        _depth++;
        foreach (var child in children)
        {
            WriteExpression(child);
        }

        _depth--;
    }

    private static string Escape(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when c < 0x20 || c >= 0x7f => $"\\x{(int)c & 0xff:x2}",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
