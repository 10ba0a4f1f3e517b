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
    private readonly FrozenDictionary<string, TracepointFormat> tracepoints;
    private readonly Lazy<ImmutableArray<string>> categories;
    private readonly ImmutableArray<TracepointFormat> sorted;
    private readonly Lazy<ILookup<string, string>> eventsByCategory;

    public ProbeCatalog(HostInfo host, BtfTypeGraph? btf, ReadOnlyMemory<byte> rawBtf, IEnumerable<TracepointFormat> tracepoints,
        IEnumerable<string> kernelDataSymbols, string source)
    {
        Host = host;
        Btf = btf;
        RawBtf = rawBtf;
        Source = source;
        this.tracepoints = tracepoints.GroupBy(t => t.Name).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        KernelDataSymbols = kernelDataSymbols.ToFrozenSet(StringComparer.Ordinal);
        sorted = [.. this.tracepoints.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];
        categories = new(() => [.. sorted.Select(t => t.Category).Distinct()]);
        eventsByCategory = new(() => sorted.ToLookup(t => t.Category, t => t.Event, StringComparer.Ordinal));
    }

    public HostInfo Host { get; }

    public BtfTypeGraph? Btf { get; }

    /// <summary>The BTF blob as read, kept so a snapshot can carry it unchanged.</summary>
    public ReadOnlyMemory<byte> RawBtf { get; }

    /// <summary>Where this catalog came from: "live kernel 6.18.44" or "snapshot tests/…/host.kgcat".</summary>
    public string Source { get; }

    /// <summary>Data symbols from /proc/kallsyms (what <c>kaddr()</c> can resolve besides functions).</summary>
    public FrozenSet<string> KernelDataSymbols { get; }

    public ImmutableArray<TracepointFormat> Tracepoints => sorted;

    public int TracepointCount => tracepoints.Count;

    public ImmutableArray<string> TracepointCategories => categories.Value;

    public TracepointFormat? FindTracepoint(string category, string @event) => tracepoints.GetValueOrDefault($"{category}:{@event}");

    public IEnumerable<TracepointFormat> MatchTracepoints(string category, string @event)
    {
        var categoryPattern = new WildcardPattern(category);
        var eventPattern = new WildcardPattern(@event);
        return Tracepoints.Where(t => categoryPattern.IsMatch(t.Category) && eventPattern.IsMatch(t.Event));
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
            foreach (var tracepoint in Tracepoints)
            {
                yield return $"tracepoint:{tracepoint.Name}";
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
