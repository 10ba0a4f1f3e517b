using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

/// <summary><c>attach-point[, attach-point…] [/predicate/] { body }</c>.</summary>
public sealed record Probe(ImmutableArray<AttachPoint> AttachPoints, Expression? Predicate, Block Body, TextSpan Span) : TopLevelItem(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes()
    {
        foreach (var attachPoint in AttachPoints)
        {
            yield return attachPoint;
        }

        if (Predicate is not null)
        {
            yield return Predicate;
        }

        yield return Body;
    }
}
