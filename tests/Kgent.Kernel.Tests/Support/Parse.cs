using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;

namespace Kgent.Kernel.Tests.Support;

/// <summary>Test shorthands: parse a snippet and get one node back, failing loudly on any diagnostic.</summary>
public static class Parse
{
    public static BpftraceProgram Program(string text)
    {
        var result = BpftraceParser.Parse(text, "test.bt");
        Assert.True(result.Diagnostics.IsEmpty, RoundTrip.Describe(result));
        return result.Program;
    }

    public static Probe Probe(string text) => Program(text).Probes.Single();

    public static Statement Statement(string statement) => Probe("BEGIN { " + statement + " }").Body.Statements.Single();

    public static Expression Expression(string expression) =>
        ((AssignmentStatement)Statement("$x = " + expression + ";")).Value;

    /// <summary>The expression as a one-line S-expression, e.g. <c>(binary + (int 1) (int 2))</c>.</summary>
    public static string Shape(string expression) => Flatten(SyntaxTreeDump.Dump(Expression(expression)));

    public static string Flatten(string dump) =>
        string.Join(" ", dump.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())).Replace("( ", "(").Replace(" )", ")");
}
