using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Contracts;

/// <summary>The offline model's comprehension engine: annotations written from the contracts, on lines of their own.
/// Each probe gets <c>assume(pre)</c> for its hook's preconditions; every value computed from a field the contract says
/// is in network byte order gets <c>assert(value == ntohs(field))</c> (ntohl for 32-bit), which the symbolic verifier
/// proves when the program converts the value and refutes when it prints it raw. Addresses passed to ntop() are left
/// alone: ntop expects network order.</summary>
public static class OfflineAnnotator
{
    public static string Annotate(string program, ContractSet? contracts, ProbeCatalog? catalog)
    {
        var parse = BpftraceParser.Parse(program, "candidate.bt");
        if (parse.HasErrors || contracts is null)
        {
            return program;
        }

        var text = parse.Source.Text;
        var insertions = new List<(int Offset, string Text)>();
        foreach (var probe in parse.Program.Probes)
        {
            var attachPoint = probe.AttachPoints[0];
            if (contracts.Find(attachPoint) is not { } contract)
            {
                continue;
            }

            var indent = Indent(text, probe.Body.Statements.FirstOrDefault()?.Span.Start ?? probe.Body.Span.Start + 1, "  ");
            if (attachPoint.Type is not (ProbeType.Kretprobe or ProbeType.Kretfunc))
            {
                // The BTF is only read for a function's parameters: a tracepoint's clauses name its fields.
                var prototype = contract.Kind == HookKind.Function && catalog?.FindKernelFunction(contract.Name) is { } function ? catalog.Btf!.PrototypeOf(function) : null;
                var assumes = contract.Pre
                    .Select(c => ContractInstantiator.Instantiate(c.Expression, attachPoint.Type, prototype, prototype is null ? null : catalog?.Btf, contracts.Constants))
                    .Select(e => $"assume({BpftracePrinter.Print(e)});").ToList();
                if (assumes.Count > 0)
                {
                    // A body written on the probe's line gets its assumes on that line, so the program's lines keep their numbers.
                    var firstLine = probe.Body.Statements.FirstOrDefault()?.Span.Start ?? probe.Body.Span.End;
                    insertions.Add(OnOneLine(text, probe.Body.Span.Start, firstLine)
                        ? (probe.Body.Span.Start + 1, " " + string.Join(" ", assumes))
                        : (LineAfter(text, probe.Body.Span.Start), string.Concat(assumes.Select(a => $"{indent}{a}\n"))));
                }
            }

            foreach (var note in contract.Notes.Where(n => n.Text.Contains("network byte order", StringComparison.Ordinal)))
            {
                var swap = note.Text.Contains("32", StringComparison.Ordinal) ? "ntohl" : "ntohs";
                foreach (var (statement, value, field) in NetworkOrderUses(probe.Body, note.Key))
                {
                    var fieldText = BpftracePrinter.Print(field);
                    if (OnOneLine(text, LineStart(text, statement.Span.Start), probe.Body.Span.Start) || OnOneLine(text, statement.Span.End, probe.Body.Span.End))
                    {
                        // The statement shares its line with a brace of the probe: the assertion goes on that line, before it.
                        insertions.Add((statement.Span.Start, $"assert({BpftracePrinter.Print(value)} == {swap}({fieldText})); "));
                    }
                    else if (statement is AssignmentStatement { Target: VariableExpression variable })
                    {
                        insertions.Add((LineEnd(text, statement.Span.End), $"\n{Indent(text, statement.Span.Start, indent)}assert({variable.Name} == {swap}({fieldText}));"));
                    }
                    else
                    {
                        insertions.Add((LineStart(text, statement.Span.Start), $"{Indent(text, statement.Span.Start, indent)}assert({BpftracePrinter.Print(value)} == {swap}({fieldText}));\n"));
                    }
                }
            }
        }

        foreach (var (offset, inserted) in insertions.Where(i => i.Text.Length > 0).OrderByDescending(i => i.Offset))
        {
            text = text.Insert(offset, inserted);
        }

        return text;
    }

    /// <summary>Statements that store or print a value computed from a field named <paramref name="key"/>, with that value and the field.</summary>
    private static IEnumerable<(Statement Statement, Expression Value, FieldAccessExpression Field)> NetworkOrderUses(Block body, string key)
    {
        foreach (var statement in body.DescendantNodesAndSelf().OfType<Statement>())
        {
            IEnumerable<Expression> values = statement switch
            {
                AssignmentStatement { Target: VariableExpression } assignment => [assignment.Value],
                ExpressionStatement { Expression: CallExpression { Name: "printf" } call } => call.Arguments.Skip(1),
                _ => [],
            };
            foreach (var value in values)
            {
                if (value is CallExpression { Name: "ntop" })
                {
                    continue;
                }

                var field = value.DescendantNodesAndSelf().OfType<FieldAccessExpression>().FirstOrDefault(f => f.Field == key && !InsideNtop(value, f));
                if (field is not null)
                {
                    yield return (statement, value, field);
                }
            }
        }
    }

    private static bool InsideNtop(SyntaxNode root, SyntaxNode node) =>
        root.DescendantNodesAndSelf().OfType<CallExpression>().Any(c => c.Name == "ntop" && c.Span.Contains(node.Span));

    /// <summary>True when no line break lies between the two offsets.</summary>
    private static bool OnOneLine(string text, int from, int to) =>
        from <= to ? text.IndexOf('\n', from, Math.Min(to, text.Length) - from) < 0 : OnOneLine(text, to, from);

    private static int LineAfter(string text, int offset)
    {
        var newline = text.IndexOf('\n', offset);
        return newline < 0 ? text.Length : newline + 1;
    }

    private static int LineEnd(string text, int offset)
    {
        var newline = text.IndexOf('\n', offset);
        return newline < 0 ? text.Length : newline;
    }

    private static int LineStart(string text, int offset) => offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;

    private static string Indent(string text, int offset, string fallback)
    {
        var start = LineStart(text, Math.Min(offset, text.Length));
        var end = start;
        while (end < text.Length && text[end] is ' ' or '\t')
        {
            end++;
        }

        return end > start ? text[start..end] : fallback;
    }
}
