using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Lexing;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax;

/// <summary>A whole bpftrace program: preprocessor lines, C definitions and probes in source order, plus its comments.</summary>
public sealed record BpftraceProgram(ImmutableArray<TopLevelItem> Items, ImmutableArray<Comment> Comments, TextSpan Span) : SyntaxNode(Span)
{
    public IEnumerable<Probe> Probes => Items.OfType<Probe>();

    public override IEnumerable<SyntaxNode> ChildNodes() => Items;
}
