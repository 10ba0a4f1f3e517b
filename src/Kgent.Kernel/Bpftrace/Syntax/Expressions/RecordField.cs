using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>One <c>name = value</c> of a record.</summary>
public sealed record RecordField(string Name, TextSpan NameSpan, Expression Value, TextSpan Span) : SyntaxNode(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Value];
}
