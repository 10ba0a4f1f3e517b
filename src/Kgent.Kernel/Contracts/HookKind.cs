namespace Kgent.Kernel.Contracts;

/// <summary>What a contract is attached to: a kernel function (reached by kprobe, kretprobe, kfunc and kretfunc) or a
/// tracepoint.</summary>
public enum HookKind
{
    Function,
    Tracepoint,
}
