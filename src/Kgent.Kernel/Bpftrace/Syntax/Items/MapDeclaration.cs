using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

/// <summary><c>let @opens = hash(1024);</c>, bpftrace 0.24's map declaration: the map and its kind and size as a
/// call (<c>hash</c>, <c>lruhash</c>, <c>percpuhash</c>, <c>percpulruhash</c>, <c>percpuarray</c>).</summary>
public sealed record MapDeclaration(MapExpression Map, Expression Kind, TextSpan Span) : TopLevelItem(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Map, Kind];
}
