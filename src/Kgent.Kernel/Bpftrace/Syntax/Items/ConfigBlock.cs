using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

/// <summary><c>config = { max_strlen = 128; missing_probes = warn }</c>, bpftrace 0.20's settings block, which comes
/// before the probes.</summary>
public sealed record ConfigBlock(ImmutableArray<ConfigSetting> Settings, TextSpan Span) : TopLevelItem(Span)
{
    public override IEnumerable<SyntaxNode> ChildNodes() => Settings;
}
