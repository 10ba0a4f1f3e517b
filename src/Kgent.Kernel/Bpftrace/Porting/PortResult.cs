using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Kernel.Bpftrace.Porting;

/// <summary>A program ported to a bpftrace release: the new text, each rewrite made (with the line it was on), and
/// what could not be ported (the dialect checker's diagnostics on the result: a construct the release lacks and that
/// has no spelling with the same meaning there). <see cref="IsComplete"/> when nothing is left.</summary>
public sealed record PortResult(Version Target, ParseResult Ported, ImmutableArray<PortRewrite> Rewrites, ImmutableArray<Diagnostic> Unported)
{
    public string Text => Ported.Source.Text;

    public bool IsComplete => !Unported.Any(d => d.IsError);
}
