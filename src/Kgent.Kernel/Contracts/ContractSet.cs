using System.Collections.Frozen;
using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Contracts;

/// <summary>The loaded contracts, indexed by hook, plus the named constants (<c>AF_INET</c>, <c>IPPROTO_TCP</c>, …) the
/// contracts and programs may use.</summary>
public sealed class ContractSet
{
    private readonly Lazy<Index> index;

    public ContractSet(IEnumerable<HookContract> contracts, IReadOnlyDictionary<string, long> constants)
    {
        var built = new Index(contracts, constants);
        index = new Lazy<Index>(built);
    }

    private ContractSet(Func<ContractSet> load) => index = new Lazy<Index>(() => load().index.Value);

    /// <summary>A set whose contracts are those <paramref name="load"/> returns, loaded when first used (on whichever
    /// thread uses them first; a failure is thrown there, and again at every later use). A session hands it out while the
    /// contracts are still being read in the background, so what runs before the first contract is needed need not wait.</summary>
    public static ContractSet Deferred(Func<ContractSet> load) => new(load);

    public static ContractSet Empty { get; } = new([], new Dictionary<string, long>());

    public ImmutableArray<HookContract> Contracts => index.Value.Contracts;

    public FrozenDictionary<string, long> Constants => index.Value.Constants;

    public HookContract? FindFunction(string name) => index.Value.Functions.GetValueOrDefault(name);

    public HookContract? FindTracepoint(string name) => index.Value.Tracepoints.GetValueOrDefault(name);

    /// <summary>The contract for an attach point such as <c>kprobe:tcp_connect</c> or <c>tracepoint:sock:inet_sock_set_state</c>.</summary>
    public HookContract? Find(AttachPoint attachPoint) => attachPoint.Type switch
    {
        ProbeType.Kprobe or ProbeType.Kretprobe or ProbeType.Kfunc or ProbeType.Kretfunc when attachPoint.Parts.Length > 0 =>
            FindFunction(attachPoint.Parts[^1].Split('+')[0]),
        ProbeType.Tracepoint when attachPoint.Parts.Length == 2 => FindTracepoint($"{attachPoint.Parts[0]}:{attachPoint.Parts[1]}"),
        _ => null,
    };

    /// <summary>A contract by hook as a person types it: <c>tcp_connect</c>, <c>kprobe:tcp_connect</c>,
    /// <c>sock:inet_sock_set_state</c> or <c>tracepoint:sock:inet_sock_set_state</c>.</summary>
    public HookContract? Find(string hook)
    {
        var parts = hook.Split(':');
        return parts switch
        {
            [var name] => FindFunction(name),
            ["kprobe" or "kretprobe" or "kfunc" or "kretfunc" or "k" or "kr" or "f" or "fr", var name] => FindFunction(name),
            ["tracepoint" or "t", var category, var name] => FindTracepoint($"{category}:{name}"),
            [var category, var name] => FindTracepoint($"{category}:{name}"),
            _ => null,
        };
    }

    private sealed class Index
    {
        public Index(IEnumerable<HookContract> contracts, IReadOnlyDictionary<string, long> constants)
        {
            Contracts = [.. contracts];
            Constants = constants.ToFrozenDictionary(StringComparer.Ordinal);
            Functions = Contracts.Where(c => c.Kind == HookKind.Function).ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
            Tracepoints = Contracts.Where(c => c.Kind == HookKind.Tracepoint).ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        }

        public ImmutableArray<HookContract> Contracts { get; }

        public FrozenDictionary<string, long> Constants { get; }

        public FrozenDictionary<string, HookContract> Functions { get; }

        public FrozenDictionary<string, HookContract> Tracepoints { get; }
    }
}
