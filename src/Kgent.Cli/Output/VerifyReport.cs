using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelVerifier;

namespace Kgent.Cli.Output;

/// <summary>The JSON shape of <c>kgent verify --json</c>.</summary>
public sealed record VerifyReport(
    string File,
    bool Accepted,
    string? Stage,
    string? Message,
    int? Line,
    int? Column,
    string? Hint,
    string? VerifierMessage,
    string? Instruction,
    double? LoadMilliseconds,
    IReadOnlyList<string> Probes,
    string? Feedback,
    string? RawLog)
{
    public static VerifyReport From(string path, LoadVerdict verdict, SourceText source) => verdict switch
    {
        LoadVerdict.Accepted a => new(path, true, null, null, null, null, null, null, null, Math.Round(a.LoadTime.TotalMilliseconds, 1), a.Probes, null, null),
        LoadVerdict.Rejected r => new(path, false, LoadDiagnostics.Stage(r.Stage), r.Message,
            r.Span is { } span ? source.GetLinePosition(span.Start).Line : null,
            r.Span is { } s ? source.GetLinePosition(s.Start).Column : null,
            r.Hint, r.Verifier?.Message, r.Verifier?.Instruction, null, [], LoadDiagnostics.ToFeedback(r, source), r.RawLog),
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}
