using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

/// <summary><c>macro name(x, $v, @m) { … }</c>, bpftrace 0.24's hygienic macro. Parameters are bare names,
/// scratch variables or maps; a body whose last statement is an expression without ';' gives the macro's value.</summary>
public sealed record MacroDefinition(string Name, TextSpan NameSpan, ImmutableArray<Expression> Parameters, Block Body, TextSpan Span)
    : TopLevelItem(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => [.. Parameters, Body];
}
