using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Symbolic;

/// <summary>The outcome of proving one assertion. A closed family: <see cref="Verified"/>, <see cref="Counterexample"/>,
/// <see cref="Unknown"/> and <see cref="Unsupported"/>; nothing else derives from it. Every verdict comes from the
/// solver's typed status, never from its text.</summary>
public abstract record SymbolicVerdict
{
    private protected SymbolicVerdict()
    {
    }

    public abstract VerdictKind Kind { get; }

    /// <summary>How bad a verdict is when several paths or assertions are merged: a counterexample outranks an unsupported
    /// construct, which outranks an unknown, which outranks a proof.</summary>
    public int Severity => Kind switch
    {
        VerdictKind.Verified => 0,
        VerdictKind.Unknown => 1,
        VerdictKind.Unsupported => 2,
        _ => 3,
    };

    /// <summary>The assertion holds on every explored path, under the assumptions and the kernel contracts.</summary>
    public sealed record Verified(int PathsChecked) : SymbolicVerdict
    {
        public override VerdictKind Kind => VerdictKind.Verified;
    }

    /// <summary>Concrete inputs on a feasible path that make the assertion false.</summary>
    /// <param name="Path">The branch decisions that lead to the assertion, in order.</param>
    /// <param name="Inputs">Values of the probe's inputs (builtins, arguments, fields read from kernel memory, map contents).</param>
    /// <param name="Variables">Values of the program's variables when the assertion failed.</param>
    /// <param name="Terms">Values of the sub-expressions of the failing assertion, e.g. <c>ntohs(...) = 80</c>.</param>
    /// <param name="Notes">What the kernel contracts say about the values involved (units, byte order, nullability).</param>
    /// <param name="Explanation">One line, e.g. <c>$dport = 0x5000 (20480) but ntohs(...) = 0x50 (80)</c>.</param>
    public sealed record Counterexample(
        string Explanation,
        ImmutableArray<string> Path,
        ImmutableArray<ModelValue> Inputs,
        ImmutableArray<ModelValue> Variables,
        ImmutableArray<ModelValue> Terms,
        ImmutableArray<string> Notes) : SymbolicVerdict
    {
        public override VerdictKind Kind => VerdictKind.Counterexample;
    }

    /// <summary>The solver could not decide (timeout, incompleteness) or the exploration was cut short (loop or path bound).</summary>
    public sealed record Unknown(string Reason) : SymbolicVerdict
    {
        public override VerdictKind Kind => VerdictKind.Unknown;
    }

    /// <summary>The assertion depends on a construct the executor does not model.</summary>
    public sealed record Unsupported(string Construct, TextSpan Span) : SymbolicVerdict
    {
        public override VerdictKind Kind => VerdictKind.Unsupported;
    }
}

public enum VerdictKind
{
    Verified,
    Counterexample,
    Unknown,
    Unsupported,

    /// <summary>Only as a program's overall verdict: the safety policy refused the program, so nothing was verified.</summary>
    Refused,

    /// <summary>Only as a program's overall verdict: there was nothing to prove (no assertion), so nothing was verified.</summary>
    NothingToProve,
}

/// <summary>How a verdict is shown: "verified", "counterexample", "unknown", "unsupported", "refused", "nothing to prove".</summary>
public static class VerdictKindNames
{
    public static string Display(this VerdictKind kind) => kind switch
    {
        VerdictKind.NothingToProve => "nothing to prove",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The machine-readable name (JSON): "nothing-to-prove" and the others as shown.</summary>
    public static string Json(this VerdictKind kind) => kind.Display().Replace(' ', '-');
}
