using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Libbpf.Lowering;

/// <summary>A C program read as the bpftrace program that does the same, line for line: what Kgent's symbolic verifier
/// and intent check reason about. <see cref="Problems"/> name each construct Kgent does not model (on its C line); a
/// program with any is not checked symbolically, never half-checked.</summary>
public sealed record LoweredC(SourceText Source, string Text, ImmutableArray<Diagnostic> Problems)
{
    public bool IsComplete => Problems.IsEmpty;

    /// <summary>The lowered program, with the C program's path (its lines are the C program's).</summary>
    public SourceText Lowered => new(Text, Source.Path);

    /// <summary>A span of the lowered program as the same place in the C program: the same line, at the same column
    /// (statements are written at their C column), no longer than the C line.</summary>
    public TextSpan ToSource(TextSpan span)
    {
        var lowered = Lowered;
        var position = lowered.GetLinePosition(span.Start);
        if (position.Line > Source.LineCount)
        {
            return new TextSpan(Source.Length, 0);
        }

        var start = Source.GetOffset(position);
        var lineEnd = Source.GetOffset(new LinePosition(position.Line, int.MaxValue / 2));
        return new TextSpan(start, Math.Clamp(span.Length, 0, Math.Max(0, lineEnd - start)));
    }
}
