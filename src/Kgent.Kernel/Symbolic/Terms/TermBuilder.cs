using System.Numerics;

namespace Kgent.Kernel.Symbolic.Terms;

/// <summary>Builds <see cref="Term"/>s. Its operations are named as SMT-LIB's (and Z3's managed API's, so the executor
/// reads as it did), but nothing here touches the solver: terms become Z3 expressions only in
/// <see cref="SolverGateway"/>. Pure: it builds, it never simplifies.</summary>
internal sealed class TermBuilder
{
    public static readonly Term True = new(TermOp.True, TermSort.Bool, []);
    public static readonly Term False = new(TermOp.False, TermSort.Bool, []);

    public TermSort StringSort => TermSort.String;

    public TermSort MkBitVecSort(uint bits) => TermSort.BitVec(bits);

    public Term MkTrue() => True;

    public Term MkFalse() => False;

    public Term MkBV(long value, uint bits) => BitVec(new BigInteger(value), bits);

    public Term MkBV(ulong value, uint bits) => BitVec(new BigInteger(value), bits);

    public Term MkBV(int value, uint bits) => BitVec(new BigInteger(value), bits);

    public Term MkInt(long value) => new(TermOp.IntLiteral, TermSort.Int, [], new BigInteger(value));

    public Term MkString(string value) => new(TermOp.StringLiteral, TermSort.String, [], value);

    public Term MkConst(string name, TermSort sort) => new(TermOp.Const, sort, [], name);

    public Term MkBVConst(string name, uint bits) => MkConst(name, TermSort.BitVec(bits));

    public Term MkBoolConst(string name) => MkConst(name, TermSort.Bool);

    public Term MkArrayConst(string name, TermSort domain, TermSort range) => MkConst(name, TermSort.Array(domain, range));

    public FunctionSymbol MkFuncDecl(string name, TermSort domain, TermSort range) => new(name, [domain], range);

    public FunctionSymbol MkFuncDecl(string name, TermSort[] domain, TermSort range) => new(name, [.. domain], range);

    public Term MkNot(Term a) => Bool(TermOp.Not, a);

    public Term MkAnd(params Term[] terms) => Bool(TermOp.And, terms);

    public Term MkAnd(IEnumerable<Term> terms) => Bool(TermOp.And, [.. terms]);

    public Term MkOr(params Term[] terms) => Bool(TermOp.Or, terms);

    public Term MkOr(IEnumerable<Term> terms) => Bool(TermOp.Or, [.. terms]);

    public Term MkEq(Term a, Term b) => Bool(TermOp.Eq, a, b);

    public Term MkITE(Term condition, Term then, Term otherwise) => new(TermOp.Ite, then.Sort, [condition, then, otherwise]);

    public Term MkBVAdd(Term a, Term b) => Same(TermOp.BvAdd, a, b);

    public Term MkBVSub(Term a, Term b) => Same(TermOp.BvSub, a, b);

    public Term MkBVMul(Term a, Term b) => Same(TermOp.BvMul, a, b);

    public Term MkBVUDiv(Term a, Term b) => Same(TermOp.BvUDiv, a, b);

    public Term MkBVURem(Term a, Term b) => Same(TermOp.BvURem, a, b);

    public Term MkBVAND(Term a, Term b) => Same(TermOp.BvAnd, a, b);

    public Term MkBVOR(Term a, Term b) => Same(TermOp.BvOr, a, b);

    public Term MkBVXOR(Term a, Term b) => Same(TermOp.BvXor, a, b);

    public Term MkBVSHL(Term a, Term b) => Same(TermOp.BvShl, a, b);

    public Term MkBVLSHR(Term a, Term b) => Same(TermOp.BvLShr, a, b);

    public Term MkBVNeg(Term a) => Same(TermOp.BvNeg, a);

    public Term MkBVNot(Term a) => Same(TermOp.BvNot, a);

    public Term MkBVSLT(Term a, Term b) => Bool(TermOp.BvSlt, a, b);

    public Term MkBVSLE(Term a, Term b) => Bool(TermOp.BvSle, a, b);

    public Term MkBVSGT(Term a, Term b) => Bool(TermOp.BvSgt, a, b);

    public Term MkBVSGE(Term a, Term b) => Bool(TermOp.BvSge, a, b);

    public Term MkBVULT(Term a, Term b) => Bool(TermOp.BvUlt, a, b);

    public Term MkBVULE(Term a, Term b) => Bool(TermOp.BvUle, a, b);

    public Term MkBVUGT(Term a, Term b) => Bool(TermOp.BvUgt, a, b);

    public Term MkBVUGE(Term a, Term b) => Bool(TermOp.BvUge, a, b);

    public Term MkZeroExt(uint bits, Term a) => new(TermOp.ZeroExt, TermSort.BitVec(a.Sort.Bits + bits), [a], high: bits);

    public Term MkSignExt(uint bits, Term a) => new(TermOp.SignExt, TermSort.BitVec(a.Sort.Bits + bits), [a], high: bits);

    public Term MkExtract(uint high, uint low, Term a) => new(TermOp.Extract, TermSort.BitVec(high - low + 1), [a], high: high, low: low);

    /// <summary>The substring of <paramref name="a"/> from <paramref name="offset"/>, <paramref name="length"/> long.</summary>
    public Term MkExtract(Term a, Term offset, Term length) => new(TermOp.SeqExtract, TermSort.String, [a, offset, length]);

    public Term MkConcat(Term a, Term b) => new(TermOp.Concat, TermSort.BitVec(a.Sort.Bits + b.Sort.Bits), [a, b]);

    public Term MkLength(Term a) => new(TermOp.Length, TermSort.Int, [a]);

    public Term MkLe(Term a, Term b) => Bool(TermOp.IntLe, a, b);

    public Term MkSelect(Term array, Term index) => new(TermOp.Select, array.Sort.Range!, [array, index]);

    private static Term BitVec(BigInteger value, uint bits)
    {
        var modulus = BigInteger.One << (int)bits;
        var normalized = ((value % modulus) + modulus) % modulus;
        return new(TermOp.BitVecLiteral, TermSort.BitVec(bits), [], normalized);
    }

    private static Term Bool(TermOp op, params Term[] args) => new(op, TermSort.Bool, [.. args]);

    private static Term Same(TermOp op, params Term[] args) => new(op, args[0].Sort, [.. args]);
}
