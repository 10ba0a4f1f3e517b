using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;

namespace Kgent.Cli.Output;

/// <summary>The JSON shape of <c>kgent run --json</c>.</summary>
public sealed record RunReport(
    string File,
    bool Ran,
    VerifyReport Load,
    string StoppedBy,
    double TracedSeconds,
    IReadOnlyList<string> Printf,
    IReadOnlyDictionary<string, object> Maps,
    IReadOnlyList<string> Messages,
    bool OutputTruncated,
    object? Workload)
{
    public static RunReport From(string path, RunResult result, SourceText source) => new(
        path,
        result.Load.IsAccepted,
        VerifyReport.From(path, result.Load, source),
        result.StoppedBy.ToString(),
        Math.Round(result.Traced.TotalSeconds, 3),
        result.Printf,
        result.Maps.ToDictionary(m => m.Name, m => Data(m.Data)),
        result.Messages,
        result.OutputTruncated,
        result.Workload is { } w ? new { command = w.Command, exitCode = w.ExitCode, timedOut = w.TimedOut, pid = w.ProcessId } : null);

    private static object Data(MapData data) => data switch
    {
        MapData.Scalar s => new { kind = "scalar", value = s.Value },
        MapData.Text t => new { kind = "text", value = t.Value },
        MapData.Stats s => new { kind = "stats", count = s.Count, average = s.Average, total = s.Total },
        MapData.Histogram h => new { kind = "histogram", samples = h.Samples, buckets = h.Buckets.Select(b => new { min = b.Min, max = b.Max, count = b.Count }) },
        MapData.Keyed k => new { kind = "keyed", entries = k.Entries.Select(e => new { key = e.Key, parts = e.KeyParts, value = Data(e.Value) }) },
        _ => new { kind = "unknown" },
    };
}
