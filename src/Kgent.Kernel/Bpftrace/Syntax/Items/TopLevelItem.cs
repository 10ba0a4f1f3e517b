using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

public abstract record TopLevelItem(TextSpan Span) : SyntaxNode(Span);
