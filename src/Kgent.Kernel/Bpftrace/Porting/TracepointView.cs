using System.Text;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Bpftrace.Porting;

/// <summary>
/// The reverse of a port through a raw tracepoint (<see cref="RawTracepointReadings"/>): a <c>rawtracepoint:E</c> probe
/// whose every argument read is one the table gives is the tracepoint probe it was ported from, <c>args-&gt;F</c> for
/// each field and <c>str(args-&gt;F)</c> for each string. What reasons about tracepoints (the intent check, the kernel
/// contracts) reads a ported program this way. Each line stays on its line, so what is said of the view is said of the
/// program's own lines.
/// </summary>
public static class TracepointView
{
    /// <summary>The program with every raw tracepoint probe the table reads back as its tracepoint; the program itself
    /// when there is none.</summary>
    public static ParseResult Of(ParseResult program)
    {
        var edits = new List<(TextSpan Span, string Text)>();
        foreach (var probe in program.Program.Probes)
        {
            if (probe.AttachPoints is [{ Type: ProbeType.RawTracepoint, HasWildcard: false } point]
                && RawTracepointReadings.All.FirstOrDefault(r => r.Event == point.Parts[^1]) is { } row
                && Reads(program.Source.Text, probe, row) is { } reads)
            {
                edits.Add((point.Span, "tracepoint:" + row.Tracepoint));
                edits.AddRange(reads);
            }
        }

        if (edits.Count == 0)
        {
            return program;
        }

        var text = new StringBuilder(program.Source.Text);
        foreach (var (span, replacement) in edits.OrderByDescending(e => e.Span.Start))
        {
            var removedLines = program.Source.Text.AsSpan(span.Start, span.Length).Count('\n');
            text.Remove(span.Start, span.Length).Insert(span.Start, replacement + new string('\n', removedLines));
        }

        return BpftraceParser.Parse(new SourceText(text.ToString(), program.Source.Path));
    }

    /// <summary>Each argument read of the probe as its tracepoint spelling; null when some <c>argN</c> is read in a way
    /// the row does not give.</summary>
    private static List<(TextSpan Span, string Text)>? Reads(string source, Probe probe, RawTracepointReading row)
    {
        var spellings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, expression) in row.Fields)
        {
            spellings[BpftracePrinter.Print(RawTracepointReading.Parse(expression))] = $"args->{field}";
        }

        foreach (var (field, expression) in row.Strings)
        {
            spellings[BpftracePrinter.Print(RawTracepointReading.Parse(expression))] = $"str(args->{field})";
        }

        var reads = new List<(TextSpan Span, string Text)>();
        var uncovered = false;
        void Visit(SyntaxNode node)
        {
            if (node is Expression expression && spellings.TryGetValue(BpftracePrinter.Print(expression), out var spelling))
            {
                reads.Add((Balanced(source, expression.Span), spelling));
                return;
            }

            if (node is BuiltinExpression { Name: var name } && name.StartsWith("arg", StringComparison.Ordinal) && name != "args")
            {
                uncovered = true;
            }

            foreach (var child in node.ChildNodes())
            {
                Visit(child);
            }
        }

        if (probe.Predicate is not null)
        {
            Visit(probe.Predicate);
        }

        Visit(probe.Body);
        return uncovered || reads.Count == 0 ? null : reads;
    }

    /// <summary>The span widened over the opening parentheses it closes: the parser's span of <c>((T *)arg0)->f</c>
    /// starts inside the first parenthesis.</summary>
    private static TextSpan Balanced(string source, TextSpan span)
    {
        var open = 0;
        foreach (var c in source.AsSpan(span.Start, span.Length))
        {
            open += c == '(' ? 1 : c == ')' ? -1 : 0;
        }

        var start = span.Start;
        for (var i = start - 1; i >= 0 && open < 0; i--)
        {
            if (source[i] == '(')
            {
                open++;
                start = i;
            }
            else if (!char.IsWhiteSpace(source[i]))
            {
                break;
            }
        }

        return TextSpan.FromBounds(start, span.End);
    }
}
