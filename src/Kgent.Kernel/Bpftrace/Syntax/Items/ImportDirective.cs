using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

/// <summary><c>import "lib.bt";</c>, bpftrace 0.26's import of another bpftrace file or library.</summary>
public sealed record ImportDirective(string Path, string PathText, TextSpan Span) : TopLevelItem(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [];
}
