using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Parsing;

/// <summary>The result of the parse stage: the source, the tree (always present, with
/// <see cref="Syntax.Expressions.MissingExpression"/> where text could not be parsed) and every diagnostic.</summary>
public sealed record ParseResult(SourceText Source, BpftraceProgram Program, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public LinePosition PositionOf(Diagnostic diagnostic) => Source.GetLinePosition(diagnostic.Span.Start);
}
