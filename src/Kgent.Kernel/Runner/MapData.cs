using System.Collections.Immutable;

namespace Kgent.Kernel.Runner;

/// <summary>A map's contents as printed by bpftrace at exit, typed. A closed family: scalars (count, sum, min, max,
/// avg, plain integers), text, histograms (hist and lhist), stats, and keyed maps of any of these.</summary>
public abstract record MapData
{
    private protected MapData()
    {
    }

    public sealed record Scalar(long Value) : MapData;

    public sealed record Text(string Value) : MapData;

    /// <summary>hist/lhist buckets in order; <see cref="HistogramBucket.Min"/> is null for the lowest (negative) bucket
    /// and <see cref="HistogramBucket.Max"/> null for lhist's overflow bucket; both bounds are inclusive.</summary>
    public sealed record Histogram(ImmutableArray<HistogramBucket> Buckets) : MapData
    {
        public long Samples => Buckets.Sum(b => b.Count);
    }

    public sealed record Stats(long Count, long Average, long Total) : MapData;

    /// <summary>A map with keys. <see cref="KeyedEntry.KeyParts"/> splits tuple keys (bpftrace joins them with ',').</summary>
    public sealed record Keyed(ImmutableArray<KeyedEntry> Entries) : MapData
    {
        public MapData? this[string key] => Entries.FirstOrDefault(e => e.Key == key)?.Value;
    }
}

public sealed record HistogramBucket(long? Min, long? Max, long Count);

public sealed record KeyedEntry(string Key, ImmutableArray<string> KeyParts, MapData Value);

/// <summary>One map printed at exit: its name (with '@'), what bpftrace called its kind (map, hist, stats), its data.</summary>
public sealed record MapOutput(string Name, string Kind, MapData Data);
