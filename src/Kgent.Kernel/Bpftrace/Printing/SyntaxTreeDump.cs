using System.Globalization;
using System.Text;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;

namespace Kgent.Kernel.Bpftrace.Printing;

/// <summary>
/// Writes a tree as an indented S-expression with every field except source spans. Two trees are structurally
/// equal exactly when their dumps are equal, which is how round-trip tests compare them; the dump is also what
/// <c>kgent parse --ast</c> shows. Literals appear by value (<c>0x10</c> and <c>16</c> dump alike), attach points
/// by their canonical spelling, comments by their text.
/// </summary>
public static class SyntaxTreeDump
{
    /// <summary>The most characters <c>kgent parse --ast</c> shows of one tree.</summary>
    public const int DisplayLimit = 256 * 1024;

    /// <summary>The whole dump (for comparing trees), or with <paramref name="limit"/> at most that many characters and a
    /// closing comment that says the tree was cut (for showing it).</summary>
    public static string Dump(SyntaxNode node, bool includeComments = true, int? limit = null)
    {
        var builder = new StringBuilder();
        var cut = !Write(builder, node, 0, limit ?? int.MaxValue);
        if (!cut && includeComments && node is BpftraceProgram program)
        {
            foreach (var comment in program.Comments)
            {
                builder.Append("  (comment ").Append(Quote(comment.Text)).Append(")\n");
            }
        }

        if (cut)
        {
            builder.Append(CultureInfo.InvariantCulture, $"; … the syntax tree is cut here: its dump is longer than {limit / 1024} KiB\n");
        }

        return builder.ToString();
    }

    /// <summary>Writes one node and its children; false when the limit was reached. Iterative, with a stack of its own:
    /// however deep a hostile program's tree, the dump never recurses on the thread's stack.</summary>
    private static bool Write(StringBuilder builder, SyntaxNode root, int rootDepth, int limit)
    {
        // An entry with a node opens it; an entry without one closes the node opened at that depth.
        var pending = new Stack<(SyntaxNode? Node, int Depth)>();
        pending.Push((root, rootDepth));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (node is null)
            {
                builder.Append(' ', depth * 2).Append(")\n");
                continue;
            }

            if (builder.Length > limit)
            {
                return false;
            }

            builder.Append(' ', depth * 2).Append('(').Append(Head(node));
            var children = node.ChildNodes().ToList();
            if (children.Count == 0)
            {
                builder.Append(")\n");
                continue;
            }

            builder.Append('\n');
            pending.Push((null, depth));
            for (var i = children.Count - 1; i >= 0; i--)
            {
                pending.Push((children[i], depth + 1));
            }
        }

        return true;
    }

    private static string Head(SyntaxNode node) => node switch
    {
        BpftraceProgram => "program",
        PreprocessorDirective directive => "directive " + Quote(directive.Text.Trim()),
        CDefinition definition => "c-definition " + Quote(definition.Text.Trim()),
        Probe probe => probe.Predicate is null ? "probe" : "probe with-predicate",
        AttachPoint attachPoint => "attach " + Quote(attachPoint.CanonicalText),
        Block block => block.EndsWithValue ? "block with-value" : "block",
        ConfigBlock => "config",
        ConfigSetting setting => "setting " + setting.Name,
        MacroDefinition macro => "macro " + macro.Name,
        MapDeclaration => "map-declaration",
        ImportDirective import => "import " + Quote(import.Path),
        VariableDeclaration declaration => "declare" + (declaration.Type is null ? string.Empty : " " + Quote(declaration.Type.ToString())),
        ForStatement => "for",
        BooleanLiteral boolean => boolean.Value ? "true" : "false",
        RangeExpression => "range",
        RecordExpression => "record",
        RecordField field => "field " + field.Name,
        ExpressionStatement => "expr",
        AssignmentStatement assignment => (assignment.Let is null ? "assign " : "let ") + (assignment.CompoundOperator is { } op ? OperatorFacts.Spelling(op) + "=" : "=")
            + (assignment.DeclaredType is { } type ? " " + Quote(type.ToString()) : string.Empty),
        IfStatement conditional => conditional.Else is null ? "if" : "if-else",
        WhileStatement => "while",
        UnrollStatement => "unroll",
        JumpStatement jump => jump.Keyword,
        AnnotationStatement annotation => annotation.Keyword,
        IntegerLiteral integer => "int " + integer.SignedValue.ToString(CultureInfo.InvariantCulture),
        StringLiteral text => "string " + Quote(text.Value),
        IdentifierExpression identifier => "ident " + identifier.Name,
        BuiltinExpression builtin => "builtin " + builtin.Name + (builtin.CallStyle ? "()" : string.Empty),
        VariableExpression variable => "var " + variable.Name,
        PositionalParameterExpression parameter => "param " + parameter.Text,
        MapExpression map => "map " + map.Name,
        CallExpression call => "call " + call.Name,
        TupleExpression => "tuple",
        TypeExpression type => "type " + Quote(type.Type.ToString()),
        UnaryExpression unary => (unary.IsPostfix ? "postfix " : "prefix ") + OperatorFacts.Spelling(unary.Operator),
        BinaryExpression binary => "binary " + OperatorFacts.Spelling(binary.Operator),
        ConditionalExpression => "?:",
        CastExpression cast => "cast " + Quote(cast.Type.ToString()),
        FieldAccessExpression field => (field.IsArrow ? "-> " : ". ") + field.Field,
        IndexExpression => "index",
        TupleAccessExpression access => "tuple-get " + access.Index.ToString(CultureInfo.InvariantCulture),
        MissingExpression => "missing",
        _ => node.GetType().Name,
    };

    private static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
