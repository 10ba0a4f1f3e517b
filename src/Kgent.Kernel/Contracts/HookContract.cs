using System.Collections.Immutable;

namespace Kgent.Kernel.Contracts;

/// <summary>The contract of one hook point ("KernelCompDataset" entry): what holds when it fires (<see cref="Pre"/>), what
/// holds of its return value (<see cref="Post"/>, function hooks only), and notes about its values.</summary>
/// <param name="Name">The function name (<c>tcp_connect</c>) or <c>category:event</c> for a tracepoint.</param>
public sealed record HookContract(
    HookKind Kind,
    string Name,
    string Summary,
    ImmutableArray<ContractClause> Pre,
    ImmutableArray<ContractClause> Post,
    ImmutableArray<ContractNote> Notes,
    ContractLocation Location)
{
    /// <summary><c>function tcp_connect</c> or <c>tracepoint sock:inet_sock_set_state</c>.</summary>
    public string Title => Kind == HookKind.Function ? $"function {Name}" : $"tracepoint {Name}";

    /// <summary>The attach points this contract applies to, as bpftrace spells them.</summary>
    public IEnumerable<string> AttachPoints => Kind == HookKind.Function
        ? [$"kprobe:{Name}", $"kretprobe:{Name}", $"kfunc:{Name}", $"kretfunc:{Name}"]
        : [$"tracepoint:{Name}"];
}
