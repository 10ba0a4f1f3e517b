using System.Globalization;
using System.Text;
using Kgent.Kernel.Runner;

namespace Kgent.Kernel.Evaluation;

/// <summary>A run's output as one text, for the oracle's text checks: the printf lines, then each map as
/// <c>@name[key]: value</c> lines (histograms as <c>@name[min,max]: count</c>). A C program's maps, named without bpftrace's
/// <c>@</c>, are written with it, so one check reads both languages' output.</summary>
public static class RunOutputText
{
    public static string Render(RunResult run)
    {
        var builder = new StringBuilder();
        foreach (var line in run.Printf)
        {
            builder.Append(line);
            if (!line.EndsWith('\n'))
            {
                builder.Append('\n');
            }
        }

        foreach (var map in run.Maps)
        {
            Append(builder, map.Name.StartsWith('@') ? map.Name : "@" + map.Name, string.Empty, map.Data);
        }

        return builder.ToString();
    }

    /// <summary>Every count-like value: scalars, stats counts, and the scalars of keyed maps.</summary>
    public static IEnumerable<long> Counts(RunResult run) => run.Maps.SelectMany(m => Counts(m.Data));

    public static long HistogramSamples(RunResult run) => run.Maps.Sum(m => Samples(m.Data));

    private static IEnumerable<long> Counts(MapData data) => data switch
    {
        MapData.Scalar s => [s.Value],
        MapData.Stats s => [s.Count],
        MapData.Keyed k => k.Entries.SelectMany(e => Counts(e.Value)),
        _ => [],
    };

    private static long Samples(MapData data) => data switch
    {
        MapData.Histogram h => h.Samples,
        MapData.Keyed k => k.Entries.Sum(e => Samples(e.Value)),
        _ => 0,
    };

    private static void Append(StringBuilder builder, string name, string key, MapData data)
    {
        switch (data)
        {
            case MapData.Scalar s:
                builder.Append(CultureInfo.InvariantCulture, $"{name}{key}: {s.Value}\n");
                break;
            case MapData.Text t:
                builder.Append(CultureInfo.InvariantCulture, $"{name}{key}: {t.Value}\n");
                break;
            case MapData.Stats s:
                builder.Append(CultureInfo.InvariantCulture, $"{name}{key}: count {s.Count}, average {s.Average}, total {s.Total}\n");
                break;
            case MapData.Histogram h:
                foreach (var bucket in h.Buckets)
                {
                    builder.Append(CultureInfo.InvariantCulture, $"{name}{key}[{bucket.Min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {bucket.Max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}]: {bucket.Count}\n");
                }

                break;
            case MapData.Keyed k:
                foreach (var entry in k.Entries)
                {
                    Append(builder, name, $"[{entry.Key}]", entry.Value);
                }

                break;
        }
    }
}
