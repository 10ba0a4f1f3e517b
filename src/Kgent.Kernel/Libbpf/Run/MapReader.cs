using System.Collections.Immutable;
using System.Globalization;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Libbpf.Native;
using Kgent.Kernel.Libbpf.Objects;
using Kgent.Kernel.Runner;

namespace Kgent.Kernel.Libbpf.Run;

/// <summary>Reads a C program's hash and array maps (per-CPU or not) after its run, into the typed results bpftrace maps
/// give: an array of one element is a value; other maps are keyed (arrays in index order, hashes by value), with struct
/// keys split into parts; an array named <c>*hist*</c> is a histogram (see <see cref="Histogram"/>). Integer values of
/// per-CPU maps are summed over the CPUs (what bpftrace's per-CPU aggregations print); an array's entries that are all
/// zero were never written and are left out. At most <see cref="MaxEntries"/> entries a map are read.</summary>
internal static unsafe class MapReader
{
    public const int MaxEntries = 10_000;

    public static (ImmutableArray<MapOutput> Maps, ImmutableArray<string> Notes) Read(LibbpfObject loaded, BpfObjectFile bpfObject)
    {
        var maps = ImmutableArray.CreateBuilder<MapOutput>();
        var notes = ImmutableArray.CreateBuilder<string>();
        var cpus = Math.Max(1, LibbpfNative.PossibleCpus());
        foreach (var (_, name, type, keySize, valueSize, fd) in loaded.Maps())
        {
            var definition = bpfObject.MapDefinitions.FirstOrDefault(d => d.Name == name) ?? new BpfMapDefinition(name, type, null, null, null);
            definition = definition with { Type = type };
            if (name.Contains('.', StringComparison.Ordinal) || fd < 0)
            {
                continue; // .bss, .data, .rodata: the program's globals, not maps it declared
            }

            if (type == BpfMapDefinition.PerfEventArray)
            {
                notes.Add($"{name} is a perf event array, which Kgent does not read: send events through a BPF_MAP_TYPE_RINGBUF map");
                continue;
            }

            if (!definition.IsReadable)
            {
                continue;
            }

            var (data, truncated) = ReadOne(fd, definition, keySize, valueSize, definition.IsPerCpu ? cpus : 1, bpfObject.Btf);
            if (truncated)
            {
                notes.Add($"{name} has more than {MaxEntries:N0} entries; the first {MaxEntries:N0} were read");
            }

            maps.Add(new MapOutput(name, Kind(type), data));
        }

        return (maps.ToImmutable(), notes.ToImmutable());
    }

    private static (MapData Data, bool Truncated) ReadOne(int fd, BpfMapDefinition definition, int keySize, int valueSize, int cpus, BtfTypeGraph? btf)
    {
        var stride = (valueSize + 7) / 8 * 8;
        var key = new byte[Math.Max(1, keySize)];
        var next = new byte[Math.Max(1, keySize)];
        var value = new byte[Math.Max(1, cpus == 1 ? valueSize : stride * cpus)];
        var entries = new List<(byte[] Key, byte[][] PerCpu)>();
        var truncated = false;
        fixed (byte* k = key, n = next, v = value)
        {
            var first = true;
            while (LibbpfNative.MapGetNextKey(fd, first ? null : k, n) == 0)
            {
                first = false;
                if (entries.Count >= MaxEntries)
                {
                    truncated = true;
                    break;
                }

                next.CopyTo(key, 0);
                if (LibbpfNative.MapLookup(fd, k, v) != 0)
                {
                    continue; // deleted since it was listed
                }

                var perCpu = Enumerable.Range(0, cpus).Select(c => value.AsSpan(c * stride, valueSize).ToArray()).ToArray();
                if (definition.IsArray && perCpu.All(bytes => bytes.All(b => b == 0)))
                {
                    continue;
                }

                entries.Add(([.. key], perCpu));
            }
        }

        if (definition.IsArray && definition.MaxEntries == 1)
        {
            return (entries.Count == 0 ? new MapData.Scalar(0) : Value(entries[0].PerCpu, definition, btf), truncated);
        }

        var keyed = entries.Select(e => Entry(e.Key, e.PerCpu, definition, btf)).ToList();
        if (definition.IsArray && definition.Name.Contains("hist", StringComparison.OrdinalIgnoreCase) && keyed.All(e => e.Value is MapData.Scalar)
            && keyed.All(e => int.TryParse(e.Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var slot) && slot is >= 0 and < 64))
        {
            return (Histogram(keyed, linear: definition.Name.Contains("lhist", StringComparison.OrdinalIgnoreCase)), truncated);
        }

        // An array in index order (it is often a histogram's buckets); a hash by value, largest first, as bpftrace prints maps.
        keyed = definition.IsArray
            ? [.. keyed.OrderBy(e => long.TryParse(e.Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) ? index : long.MaxValue)]
            : [.. keyed.OrderByDescending(e => e.Value is MapData.Scalar s ? s.Value : long.MinValue).ThenBy(e => e.Key, StringComparer.Ordinal)];
        return (new MapData.Keyed([.. keyed]), truncated);
    }

    /// <summary>Kgent's convention for histograms in C: an array map whose name has <c>hist</c> in it counts samples by slot.
    /// Slot 0 holds the value 0 and slot k the values 2^(k-1) to 2^k - 1 (bpftrace's hist buckets); with <c>lhist</c> in
    /// the name, slot k holds the value k.</summary>
    private static MapData.Histogram Histogram(List<KeyedEntry> slots, bool linear)
    {
        var buckets = slots
            .Select(e => (Slot: int.Parse(e.Key, CultureInfo.InvariantCulture), Count: ((MapData.Scalar)e.Value).Value))
            .OrderBy(b => b.Slot)
            .Select(b => linear || b.Slot == 0
                ? new HistogramBucket(b.Slot, b.Slot, b.Count)
                : new HistogramBucket(1L << (b.Slot - 1), b.Slot == 63 ? long.MaxValue : (1L << b.Slot) - 1, b.Count));
        return new MapData.Histogram([.. buckets]);
    }

    private static KeyedEntry Entry(byte[] key, byte[][] perCpu, BpfMapDefinition definition, BtfTypeGraph? btf)
    {
        var parts = btf is not null && definition.KeyType is { } keyType
            ? BtfValueReader.Parts(btf, keyType, key)
            : [Integer(key)?.ToString(CultureInfo.InvariantCulture) ?? Convert.ToHexStringLower(key)];
        return new KeyedEntry(string.Join(",", parts), parts, Value(perCpu, definition, btf));
    }

    /// <summary>The value: integers summed over the CPUs; anything else as text (per CPU when there are several).</summary>
    private static MapData Value(byte[][] perCpu, BpfMapDefinition definition, BtfTypeGraph? btf)
    {
        if (btf is not null && definition.ValueType is { } valueType)
        {
            var integers = perCpu.Select(bytes => BtfValueReader.Integer(btf, valueType, bytes)).ToList();
            if (integers.All(i => i is not null))
            {
                return new MapData.Scalar(integers.Sum(i => i!.Value));
            }

            return perCpu.Length == 1
                ? new MapData.Text(BtfValueReader.Format(btf, valueType, perCpu[0]))
                : new MapData.Text(string.Join("; ", perCpu.Select((bytes, cpu) => $"cpu{cpu}: {BtfValueReader.Format(btf, valueType, bytes)}")));
        }

        return perCpu.All(bytes => Integer(bytes) is not null)
            ? new MapData.Scalar(perCpu.Sum(bytes => Integer(bytes)!.Value))
            : new MapData.Text(string.Join("; ", perCpu.Select(Convert.ToHexStringLower)));
    }

    private static long? Integer(byte[] bytes) => bytes.Length switch
    {
        1 => bytes[0],
        2 => BitConverter.ToUInt16(bytes),
        4 => BitConverter.ToUInt32(bytes),
        8 => BitConverter.ToInt64(bytes),
        _ => null,
    };

    private static string Kind(int type) => type switch
    {
        BpfMapDefinition.Hash => "hash",
        BpfMapDefinition.Array => "array",
        BpfMapDefinition.PerCpuHash => "percpu_hash",
        BpfMapDefinition.PerCpuArray => "percpu_array",
        BpfMapDefinition.LruHash => "lru_hash",
        BpfMapDefinition.LruPerCpuHash => "lru_percpu_hash",
        _ => $"type {type}",
    };
}
