using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

/// <summary>One <c>name = value</c> of a config block. The value is an integer, a string, a boolean or a bare word
/// such as <c>warn</c> (an <see cref="IdentifierExpression"/>).</summary>
public sealed record ConfigSetting(string Name, TextSpan NameSpan, Expression Value, TextSpan Span) : SyntaxNode(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [Value];
}
