using System.Numerics;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Tests.Symbolic;

/// <summary>The prover boundary: Kgent's terms, built without the solver, mean in Z3 what they say, and what Z3's
/// simplifier and models give back is read as terms.</summary>
public sealed class ProverBoundaryTests : IDisposable
{
    private readonly TermBuilder t = new();
    private readonly Microsoft.Z3.Context context = Z3Runtime.CreateContext();
    private readonly SolverGateway gateway;

    public ProverBoundaryTests() => gateway = new SolverGateway(context, SymbolicOptions.Default);

    public void Dispose() => context.Dispose();

    [Fact]
    public void A_literal_is_its_value_modulo_the_width()
    {
        Assert.Equal(new BigInteger(255), t.MkBV(-1, 8).Payload);
        Assert.Equal(new BigInteger(ulong.MaxValue), t.MkBV(ulong.MaxValue, 64).Payload);
        Assert.Equal(TermSort.BitVec(16), t.MkExtract(15, 0, t.MkBV(7, 64)).Sort);
        Assert.Equal(TermSort.BitVec(64), t.MkZeroExt(48, t.MkBV(7, 16)).Sort);
    }

    [Fact]
    public void Simplification_comes_back_as_terms()
    {
        var sum = gateway.Simplify(t.MkBVAdd(t.MkBV(40, 64), t.MkBV(2, 64)));
        Assert.Equal(TermOp.BitVecLiteral, sum.Op);
        Assert.Equal(new BigInteger(42), sum.Payload);

        var x = t.MkBVConst("x", 64);
        Assert.True(gateway.Simplify(t.MkEq(x, x)).IsTrue);
        Assert.True(gateway.Simplify(t.MkBVULT(x, t.MkBV(0, 64))).IsFalse);

        // An undecided condition stays the term it was.
        var open = t.MkBVULT(x, t.MkBV(5, 64));
        Assert.Same(open, gateway.Simplify(open));

        // A function application is read back with its own symbol.
        var f = t.MkFuncDecl("f", t.MkBitVecSort(64), t.MkBitVecSort(64));
        var read = gateway.Simplify(t.MkBVAdd(f.Apply(x), t.MkBV(0, 64)));
        Assert.Equal(TermOp.Apply, read.Op);
        Assert.Equal(f, read.Payload);
    }

    [Fact]
    public void Queries_and_models_speak_terms()
    {
        var x = t.MkBVConst("x", 64);
        var y = t.MkBVConst("y", 64);
        Assert.Equal(QueryAnswer.Unsat, gateway.Check([t.MkNot(t.MkEq(t.MkBVAdd(x, y), t.MkBVAdd(y, x)))], "addition commutes").Answer);

        var outcome = gateway.Check([t.MkEq(t.MkBVMul(x, t.MkBV(3, 64)), t.MkBV(21, 64)), t.MkBVULT(x, t.MkBV(100, 64))], "x * 3 == 21");
        Assert.Equal(QueryAnswer.Sat, outcome.Answer);
        Assert.Equal(new BigInteger(7), outcome.Model!.BitVec(x).Value);

        var s = t.MkConst("s", t.StringSort);
        var named = gateway.Check([t.MkEq(s, t.MkString("bash"))], "a string");
        Assert.Equal("bash", named.Model!.String(s).Value);
        Assert.Equal(3, gateway.Queries.Length);
    }

    [Fact]
    public void The_intent_checks_vacuity_test_goes_through_the_boundary()
    {
        var x = t.MkBVConst("x", 64);
        Assert.Equal(QueryAnswer.Unsat, SolverGateway.CheckOnce(t.MkNot(t.MkEq(x, x)), "x == x is always true"));
        Assert.Equal(QueryAnswer.Sat, SolverGateway.CheckOnce(t.MkEq(x, t.MkBV(3, 64)), "x can be 3"));
    }
}
