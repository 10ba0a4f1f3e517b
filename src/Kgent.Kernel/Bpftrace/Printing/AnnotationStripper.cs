using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;

namespace Kgent.Kernel.Bpftrace.Printing;

/// <summary>Removes Kgent's <c>assume(…)</c>/<c>assert(…)</c> statements, at any depth, leaving the program the
/// kernel verifier receives. Everything else, spans and comments included, is kept as it was.</summary>
public static class AnnotationStripper
{
    public static BpftraceProgram Strip(BpftraceProgram program) =>
        program with { Items = [.. program.Items.Select(item => item is Probe probe ? probe with { Body = Strip(probe.Body) } : item)] };

    /// <summary>Removes the annotations from the source text itself, keeping every other character as written: a line
    /// holding only an annotation (and perhaps a comment) disappears, otherwise just the annotation and its ';' go.
    /// For a program written with its annotations on their own lines this gives back exactly the unannotated program.</summary>
    public static string StripText(ParseResult result)
    {
        var text = result.Source.Text;
        var cuts = new List<(int Start, int End)>();
        foreach (var annotation in result.Program.DescendantNodesAndSelf().OfType<AnnotationStatement>())
        {
            var start = annotation.Span.Start;
            var end = annotation.Span.End;
            while (end < text.Length && text[end] is ' ' or '\t')
            {
                end++;
            }

            if (end < text.Length && text[end] == ';')
            {
                end++;
            }

            var lineStart = text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
            if (start == 0)
            {
                lineStart = 0;
            }

            var lineEnd = text.IndexOf('\n', end);
            var rest = (lineEnd < 0 ? text[end..] : text[end..lineEnd]).Trim();
            var before = text[lineStart..start];
            if (string.IsNullOrWhiteSpace(before) && (rest.Length == 0 || rest.StartsWith("//", StringComparison.Ordinal)))
            {
                cuts.Add((lineStart, lineEnd < 0 ? text.Length : lineEnd + 1));
            }
            else
            {
                while (end < text.Length && text[end] is ' ' or '\t')
                {
                    end++;
                }

                cuts.Add((start, end));
            }
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var position = 0;
        foreach (var (cutStart, cutEnd) in cuts.OrderBy(c => c.Start))
        {
            if (cutStart < position)
            {
                continue;
            }

            builder.Append(text, position, cutStart - position);
            position = cutEnd;
        }

        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }

    public static int CountAnnotations(BpftraceProgram program) =>
        program.DescendantNodesAndSelf().OfType<AnnotationStatement>().Count();

    private static Block Strip(Block block) => block with
    {
        Statements = [.. block.Statements.Where(s => s is not AnnotationStatement).Select(Strip)],
    };

    private static Statement Strip(Statement statement) => statement switch
    {
        Block block => Strip(block),
        IfStatement conditional => conditional with
        {
            Then = Strip(conditional.Then),
            Else = conditional.Else is null ? null : Strip(conditional.Else),
        },
        WhileStatement loop => loop with { Body = Strip(loop.Body) },
        UnrollStatement unroll => unroll with { Body = Strip(unroll.Body) },
        _ => statement,
    };
}
