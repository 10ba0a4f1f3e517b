using System.Collections.Immutable;

namespace Kgent.Kernel.Evaluation;

/// <summary>One evaluation case: the request, the human hint the paper's "human expertise" configuration adds (a hook
/// name), and the oracle that decides whether a returned program does what was asked. A case from a plain prompts file
/// has no oracle; its runs report only where the pipeline stopped. <see cref="Reference"/> and <see cref="Wrong"/> are
/// programs written for the case to validate the oracle itself: the first must pass it, the second must fail it;
/// <see cref="ReferenceC"/> is the libbpf C program that must pass it.</summary>
public sealed record EvalCase(
    string Id,
    string Category,
    string Request,
    string? Hint,
    Oracle? Oracle,
    string? Reference,
    string? Wrong,
    string Source)
{
    /// <summary>The case's reference program in libbpf C (<c>c/ID.bpf.c</c> beside the case's file), which must pass the
    /// oracle too; null when the case has none.</summary>
    public string? ReferenceC { get; init; }

    /// <summary>Where <see cref="ReferenceC"/> was read from.</summary>
    public string? ReferenceCPath { get; init; }
}

/// <summary>What a correct program does: it attaches to one of <see cref="Probes"/> (bpftrace wildcards allowed), and a
/// run of <see cref="Duration"/> while <see cref="Workload"/> runs satisfies every check.</summary>
public sealed record Oracle(ImmutableArray<string> Probes, string Workload, TimeSpan Duration, ImmutableArray<OracleCheck> Checks);

/// <summary>A property of a run's output. <c>{pid}</c> in a text stands for the workload's process id.</summary>
public abstract record OracleCheck
{
    private protected OracleCheck()
    {
    }

    /// <summary>The output (printf lines, map names, keys and values) contains the text.</summary>
    public sealed record Contains(string Text) : OracleCheck
    {
        public override string ToString() => $"output contains \"{Text}\"";
    }

    /// <summary>The output matches the regular expression.</summary>
    public sealed record Matches(string Pattern) : OracleCheck
    {
        public override string ToString() => $"output matches /{Pattern}/";
    }

    /// <summary>At least this many printf lines.</summary>
    public sealed record Lines(int AtLeast) : OracleCheck
    {
        public override string ToString() => $"at least {AtLeast} printf line(s)";
    }

    /// <summary>The histograms (hist, lhist) hold at least this many samples in all.</summary>
    public sealed record HistogramSamples(long AtLeast) : OracleCheck
    {
        public override string ToString() => $"histograms hold at least {AtLeast} sample(s)";
    }

    /// <summary>Some map value (a count, sum, stats count, or keyed count) is at least this large.</summary>
    public sealed record Count(long AtLeast) : OracleCheck
    {
        public override string ToString() => $"some count is at least {AtLeast}";
    }
}
