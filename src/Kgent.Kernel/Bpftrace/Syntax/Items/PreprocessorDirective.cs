using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

/// <summary>A line such as <c>#include &lt;net/sock.h&gt;</c>, <c>#define X 1</c> or the <c>#!</c> line, kept verbatim.</summary>
public sealed record PreprocessorDirective(string Text, TextSpan Span) : TopLevelItem(Span)
{
    public bool IsShebang => Text.StartsWith("#!", StringComparison.Ordinal);

    public override IEnumerable<SyntaxNode> ChildNodes() => [];
}
