using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Host;
using Kgent.Kernel.KernelInfo.Tracepoints;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.KernelInfo.Catalog;

/// <summary>Everything Kgent knows about one kernel: the host's probe-type support, its BTF types and functions,
/// its tracepoints with their fields, and its kernel data symbols. Built live (<see cref="CatalogLoader.LoadLive"/>)
/// or from a snapshot file, so a laptop can check programs for a server.</summary>
public sealed class ProbeCatalog
{
    private readonly Lazy<BtfTypeGraph?> btf;
    private readonly bool hasBtf;
    private readonly Lazy<ReadOnlyMemory<byte>> rawBtf;
    private readonly HashSet<string> names;
    private readonly ImmutableArray<string> sortedNames;
    private readonly Func<string, string, TracepointFormat?>? readOne;
    private readonly Lazy<FrozenDictionary<string, TracepointFormat>> all;
    private readonly ConcurrentDictionary<string, TracepointFormat?> readOnes = new(StringComparer.Ordinal);
    private readonly Lazy<ImmutableArray<TracepointFormat>> sorted;
    private readonly Lazy<FrozenSet<string>> symbols;
    private readonly Lazy<ImmutableArray<string>> categories;
    private readonly Lazy<ILookup<string, string>> eventsByCategory;

    public ProbeCatalog(HostInfo host, BtfTypeGraph? btf, ReadOnlyMemory<byte> rawBtf, IEnumerable<TracepointFormat> tracepoints,
        IEnumerable<string> kernelDataSymbols, string source)
        : this(host, () => btf, () => rawBtf, Index(tracepoints), null, () => kernelDataSymbols, source, btf is not null)
    {
    }

    /// <summary>A catalog whose parts are read when first needed: the BTF when a type is looked up, a tracepoint's format
    /// when that tracepoint is (<paramref name="readTracepoint"/>) or all of them when all are asked for
    /// (<paramref name="readAllTracepoints"/>), the kernel's data symbols when a symbol is. The tracepoints' names are
    /// known from the start. A part that cannot be read is a <see cref="CatalogException"/> where it is first used.</summary>
    public static ProbeCatalog Lazy(HostInfo host, Func<BtfTypeGraph?> btf, Func<ReadOnlyMemory<byte>> rawBtf, IEnumerable<string> tracepointNames,
        Func<string, string, TracepointFormat?> readTracepoint, Func<IEnumerable<TracepointFormat>> readAllTracepoints, Func<IEnumerable<string>> kernelDataSymbols,
        string source) =>
        new(host, btf, rawBtf, (tracepointNames, readAllTracepoints), readTracepoint, kernelDataSymbols, source, host.BtfPath is not null);

    private ProbeCatalog(HostInfo host, Func<BtfTypeGraph?> btf, Func<ReadOnlyMemory<byte>> rawBtf,
        (IEnumerable<string> Names, Func<IEnumerable<TracepointFormat>> All) tracepoints, Func<string, string, TracepointFormat?>? readTracepoint,
        Func<IEnumerable<string>> kernelDataSymbols, string source, bool hasBtf)
    {
        Host = host;
        this.hasBtf = hasBtf;
        this.btf = new(btf);
        this.rawBtf = new(rawBtf);
        Source = source;
        names = new HashSet<string>(tracepoints.Names, StringComparer.Ordinal);
        sortedNames = [.. names.Order(StringComparer.Ordinal)];
        readOne = readTracepoint;
        all = new(() => tracepoints.All().GroupBy(t => t.Name).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));
        sorted = new(() => [.. all.Value.Values.OrderBy(t => t.Name, StringComparer.Ordinal)]);
        symbols = new(() => kernelDataSymbols().ToFrozenSet(StringComparer.Ordinal));
        categories = new(() => [.. sortedNames.Select(n => Parts(n).Category).Distinct()]);
        eventsByCategory = new(() => sortedNames.Select(Parts).ToLookup(p => p.Category, p => p.Event, StringComparer.Ordinal));
    }

    /// <summary>A tracepoint name's category and event: <c>sched:sched_switch</c> → (sched, sched_switch).</summary>
    private static (string Category, string Event) Parts(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return (name[..colon], name[(colon + 1)..]);
    }

    private static (IEnumerable<string> Names, Func<IEnumerable<TracepointFormat>> All) Index(IEnumerable<TracepointFormat> tracepoints)
    {
        var list = tracepoints.ToList();
        return (list.Select(t => t.Name), () => list);
    }

    public HostInfo Host { get; }

    /// <summary>The kernel's BTF types and functions (read on first use in a lazy catalog).</summary>
    public BtfTypeGraph? Btf => btf.Value;

    /// <summary>Whether the kernel has BTF, known without reading it.</summary>
    public bool HasBtf => btf.IsValueCreated ? btf.Value is not null : hasBtf;

    /// <summary>The BTF blob as read, kept so a snapshot can carry it unchanged.</summary>
    public ReadOnlyMemory<byte> RawBtf => rawBtf.Value;

    /// <summary>Where this catalog came from: "live kernel 6.18.44" or "snapshot tests/…/host.kgcat".</summary>
    public string Source { get; }

    /// <summary>Data symbols from /proc/kallsyms (what <c>kaddr()</c> can resolve besides functions).</summary>
    public FrozenSet<string> KernelDataSymbols => symbols.Value;

    /// <summary>Every tracepoint with its fields (read whole on first use in a lazy catalog).</summary>
    public ImmutableArray<TracepointFormat> Tracepoints => sorted.Value;

    /// <summary>Every tracepoint's name, <c>category:event</c>, sorted: known without reading any format.</summary>
    public ImmutableArray<string> TracepointNames => sortedNames;

    public int TracepointCount => names.Count;

    public ImmutableArray<string> TracepointCategories => categories.Value;

    /// <summary>Whether some category has a tracepoint of this event name (what a raw tracepoint attaches to).</summary>
    public bool HasTracepointEvent(string @event) => eventsByCategory.Value.Any(g => g.Contains(@event, StringComparer.Ordinal));

    public TracepointFormat? FindTracepoint(string category, string @event)
    {
        var name = $"{category}:{@event}";
        if (readOne is null || all.IsValueCreated)
        {
            return all.Value.GetValueOrDefault(name);
        }

        return names.Contains(name) ? readOnes.GetOrAdd(name, _ => readOne(category, @event)) : null;
    }

    public IEnumerable<TracepointFormat> MatchTracepoints(string category, string @event)
    {
        var categoryPattern = new WildcardPattern(category);
        var eventPattern = new WildcardPattern(@event);
        return sortedNames
            .Select(Parts)
            .Where(n => categoryPattern.IsMatch(n.Category) && eventPattern.IsMatch(n.Event))
            .Select(n => FindTracepoint(n.Category, n.Event))
            .OfType<TracepointFormat>();
    }

    public IEnumerable<string> TracepointEvents(string category) => eventsByCategory.Value[category];

    public BtfFunction? FindKernelFunction(string name) => Btf?.FindFunction(name);

    public bool HasKernelSymbol(string name) => KernelDataSymbols.Contains(name) || Btf?.FindFunction(name) is not null;

    /// <summary>Every probe this catalog knows, as <c>bpftrace -l</c> spells them, optionally filtered by a wildcard
    /// pattern (a pattern without ':' or wildcards matches anywhere). Probe types this host cannot attach are listed
    /// only when <paramref name="includeUnavailable"/> is set.</summary>
    public IEnumerable<string> ListProbes(string? pattern = null, bool includeUnavailable = false)
    {
        Func<string, bool> matches = pattern is null or "" ? _ => true
            : !WildcardPattern.HasWildcard(pattern) && !pattern.Contains(':') ? probe => probe.Contains(pattern, StringComparison.Ordinal)
            : new WildcardPattern(Expand(pattern)).IsMatch;
        return AllProbes(includeUnavailable).Where(matches);
    }

    private static string Expand(string pattern)
    {
        var colon = pattern.IndexOf(':');
        if (colon < 0)
        {
            return pattern;
        }

        // "sock:inet_sock_set_state" names a tracepoint without its type: match it at the end of any probe.
        var type = ProbeTypeInfo.Find(pattern[..colon]);
        return type is null ? "*" + pattern : type.Name + pattern[colon..];
    }

    private IEnumerable<string> AllProbes(bool includeUnavailable)
    {
        bool Show(ProbeType type) => includeUnavailable || Host.CanAttach(type);
        if (Show(ProbeType.Hardware))
        {
            foreach (var name in PerfEvents.Hardware)
            {
                yield return $"hardware:{name}:";
            }
        }

        if (Show(ProbeType.Software))
        {
            foreach (var name in PerfEvents.Software)
            {
                yield return $"software:{name}:";
            }
        }

        if (Show(ProbeType.Tracepoint))
        {
            foreach (var name in TracepointNames)
            {
                yield return $"tracepoint:{name}";
            }
        }

        if (Btf is null)
        {
            yield break;
        }

        var functions = Btf.Functions.Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();
        foreach (var type in new[] { ProbeType.Kprobe, ProbeType.Kfunc })
        {
            if (!Show(type))
            {
                continue;
            }

            var name = ProbeTypeInfo.Of(type).Name;
            foreach (var function in functions)
            {
                yield return $"{name}:{function}";
            }
        }
    }
}
