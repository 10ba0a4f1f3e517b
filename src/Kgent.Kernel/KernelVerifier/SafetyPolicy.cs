using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>Kgent never passes <c>--unsafe</c> to bpftrace, and refuses to load or run a program that calls
/// <c>system</c>, <c>signal</c> or <c>override</c> unless the caller explicitly allows it (bpftrace itself would then
/// refuse it in safe mode anyway, but at a later stage and with less guidance).</summary>
public static class SafetyPolicy
{
    public static ImmutableArray<string> UnsafeFunctions { get; } = ["system", "signal", "override"];

    /// <summary>The unsafe calls in a program, in source order.</summary>
    public static ImmutableArray<CallExpression> UnsafeCalls(BpftraceProgram program) =>
        [.. program.DescendantNodesAndSelf().OfType<CallExpression>().Where(c => UnsafeFunctions.Contains(c.Name)).OrderBy(c => c.Span.Start)];
}
