using System.Collections.Immutable;
using System.Numerics;

namespace Kgent.Kernel.Symbolic.Terms;

/// <summary>A term of Kgent's own logic, the language the symbolic executor speaks: built by <see cref="TermBuilder"/>,
/// immutable, and handed to the solver only through <see cref="SolverGateway"/>, which alone translates terms to Z3 (as
/// Boogie's prover boundary does). Compared by reference: a term is one node of a DAG.</summary>
internal sealed class Term
{
    internal Term(TermOp op, TermSort sort, ImmutableArray<Term> args, object? payload = null, uint high = 0, uint low = 0)
    {
        Op = op;
        Sort = sort;
        Args = args;
        Payload = payload;
        High = high;
        Low = low;
    }

    public TermOp Op { get; }

    public TermSort Sort { get; }

    public ImmutableArray<Term> Args { get; }

    /// <summary>A literal's value (<see cref="BigInteger"/> or string), a constant's name, an application's function.</summary>
    public object? Payload { get; }

    /// <summary>Extract's high bit, or the bits an extension adds.</summary>
    public uint High { get; }

    /// <summary>Extract's low bit.</summary>
    public uint Low { get; }

    public bool IsTrue => Op == TermOp.True;

    public bool IsFalse => Op == TermOp.False;

    public bool IsBool => Sort.Kind == SortKind.Bool;

    public override string ToString() => Op switch
    {
        TermOp.True => "true",
        TermOp.False => "false",
        TermOp.BitVecLiteral or TermOp.IntLiteral => Payload!.ToString()!,
        TermOp.StringLiteral => $"\"{Payload}\"",
        TermOp.Const => (string)Payload!,
        TermOp.Apply => $"({((FunctionSymbol)Payload!).Name} {string.Join(" ", Args)})",
        _ => $"({Op} {string.Join(" ", Args)})",
    };
}

/// <summary>The operations of the term language: the fragment of SMT-LIB (bit-vectors, strings, arrays, uninterpreted
/// functions) the executor uses.</summary>
internal enum TermOp
{
    True,
    False,
    BitVecLiteral,
    IntLiteral,
    StringLiteral,
    Const,
    Apply,
    Not,
    And,
    Or,
    Eq,
    Ite,
    BvAdd,
    BvSub,
    BvMul,
    BvUDiv,
    BvURem,
    BvNeg,
    BvNot,
    BvAnd,
    BvOr,
    BvXor,
    BvShl,
    BvLShr,
    ZeroExt,
    SignExt,
    Extract,
    Concat,
    BvSlt,
    BvSle,
    BvSgt,
    BvSge,
    BvUlt,
    BvUle,
    BvUgt,
    BvUge,
    Length,
    SeqExtract,
    IntLe,
    Select,
}

/// <summary>An uninterpreted function: a map's contents before the probe fired, a string read from memory.</summary>
internal sealed record FunctionSymbol(string Name, ImmutableArray<TermSort> Domain, TermSort Range)
{
    public Term Apply(params Term[] args) => new(TermOp.Apply, Range, [.. args], this);
}
