using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

/// <summary>A C <c>struct</c>, <c>union</c> or <c>enum</c> definition that bpftrace hands to clang, kept verbatim.</summary>
public sealed record CDefinition(string Text, TextSpan Span) : TopLevelItem(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [];
}
