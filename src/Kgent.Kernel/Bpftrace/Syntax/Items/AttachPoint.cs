using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Bpftrace.Syntax.Items;

/// <summary>One attach point, e.g. <c>t:syscalls:sys_enter_openat</c>. <see cref="Provider"/> is the spelling
/// used (<c>t</c>); <see cref="Parts"/> are the ':'-separated parts after it, with quotes kept as written.</summary>
public sealed record AttachPoint(string Text, ProbeType Type, string Provider, ImmutableArray<string> Parts, TextSpan Span) : SyntaxNode(Span)
{
    /// <summary>The attach point with its provider's full name: <c>tracepoint:syscalls:sys_enter_openat</c>.</summary>
    public string CanonicalText => Type == ProbeType.Unknown
        ? Text
        : string.Join(':', new[] { ProbeTypeInfo.Of(Type).Name }.Concat(Parts));

    public bool HasWildcard => Parts.Any(part => part.Contains('*') || part.Contains('?') || part.Contains('['));

    public override IEnumerable<SyntaxNode> ChildNodes() => [];
}
