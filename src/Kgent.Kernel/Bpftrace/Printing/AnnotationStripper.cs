using System.Collections.Immutable;
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
