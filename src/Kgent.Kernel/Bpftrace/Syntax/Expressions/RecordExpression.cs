using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary><c>(name = comm, pid = pid)</c>, bpftrace 0.25's record: a tuple whose elements have names.</summary>
public sealed record RecordExpression(ImmutableArray<RecordField> Fields, TextSpan Span) : Expression(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => Fields;
}
