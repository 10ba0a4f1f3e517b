using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

public abstract record Statement(TextSpan Span) : SyntaxNode(Span);
