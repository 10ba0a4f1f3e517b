using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;

namespace Kgent.Kernel.Symbolic;

/// <summary>A question about statements of one probe (their start offsets): is one of them reached exactly when
/// <see cref="Condition"/> holds at the probe's entry? Both directions are decided: a path that reaches one where the
/// condition is false ("also reports other events"), and inputs that satisfy the condition but reach none ("misses
/// events the request asks for"). Several targets are one output written more than once (a printf in each branch of an
/// if on the address family). <see cref="Domain"/>, when given, restricts the inputs compared to the values the kernel
/// really produces (a system call's errors are -4095 to -1). Asked per hook the probe attaches to.</summary>
public sealed record ReachQuery(string Id, ImmutableArray<int> Targets, Expression Condition, Expression? Domain = null)
{
    public ReachQuery(string id, int target, Expression condition)
        : this(id, [target], condition)
    {
    }
}

/// <summary>The answer to a <see cref="ReachQuery"/> on one hook.</summary>
public sealed record ReachResult(string Id, string Hook, ReachVerdict Verdict);

/// <summary>A closed family: the statement is reached exactly under the condition, or a witness that it is not.</summary>
public abstract record ReachVerdict
{
    private protected ReachVerdict()
    {
    }

    /// <summary>Reached exactly when the condition holds, on every explored path.</summary>
    public sealed record Equivalent(int Paths) : ReachVerdict;

    /// <summary>Reached on a path where the condition is false: the witness's inputs.</summary>
    public sealed record AlsoOthers(ImmutableArray<ModelValue> Inputs, ImmutableArray<string> Path) : ReachVerdict;

    /// <summary>Not reached for inputs where the condition holds: the witness's inputs.</summary>
    public sealed record Misses(ImmutableArray<ModelValue> Inputs) : ReachVerdict;

    /// <summary>The condition is true (or false) whatever the program does on this hook: it decides nothing.</summary>
    public sealed record Vacuous(string Why) : ReachVerdict;

    /// <summary>Not decided: the condition or the program needs what the executor does not model, or the exploration was cut.</summary>
    public sealed record Unknown(string Reason) : ReachVerdict;
}
