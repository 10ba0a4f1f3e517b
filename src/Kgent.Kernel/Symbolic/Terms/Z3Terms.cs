using System.Numerics;
using Microsoft.Z3;

namespace Kgent.Kernel.Symbolic.Terms;

/// <summary>The one place Kgent's terms meet Z3: each <see cref="Term"/> becomes a Z3 expression (once; the term DAG is
/// shared), and Z3's simplified expressions come back as terms for the fragment the executor builds.</summary>
internal sealed class Z3Terms(Context ctx)
{
    private readonly Dictionary<Term, Expr> expressions = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, FuncDecl> declarations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Term> constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FunctionSymbol> functions = new(StringComparer.Ordinal);
    /// <summary>Read-back terms by Z3 AST id, each with its expression, which keeps the AST (and so its id) alive.</summary>
    private readonly Dictionary<uint, (Expr Expr, Term? Term)> terms = [];

    public BoolExpr ToZ3Bool(Term term) => (BoolExpr)ToZ3(term);

    /// <summary>The Z3 expression of a term. Iterative (a program can build a term thousands of operations deep, as
    /// a chain of assignments does), and each node of the DAG is translated once.</summary>
    public Expr ToZ3(Term root)
    {
        if (expressions.TryGetValue(root, out var known))
        {
            return known;
        }

        var stack = new Stack<(Term Term, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (term, expanded) = stack.Pop();
            if (expressions.ContainsKey(term))
            {
                continue;
            }

            if (!expanded)
            {
                stack.Push((term, true));
                for (var i = term.Args.Length - 1; i >= 0; i--)
                {
                    if (!expressions.ContainsKey(term.Args[i]))
                    {
                        stack.Push((term.Args[i], false));
                    }
                }

                continue;
            }

            expressions[term] = Make(term, [.. term.Args.Select(a => expressions[a])]);
        }

        return expressions[root];
    }

    private Expr Make(Term term, Expr[] args)
    {
        Expr result = term.Op switch
        {
            TermOp.True => ctx.MkTrue(),
            TermOp.False => ctx.MkFalse(),
            TermOp.BitVecLiteral => ctx.MkBV(((BigInteger)term.Payload!).ToString(System.Globalization.CultureInfo.InvariantCulture), term.Sort.Bits),
            TermOp.IntLiteral => ctx.MkInt(((BigInteger)term.Payload!).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            TermOp.StringLiteral => ctx.MkString((string)term.Payload!),
            TermOp.Const => Constant(term),
            TermOp.Apply => Declaration((FunctionSymbol)term.Payload!).Apply(args),
            TermOp.Not => ctx.MkNot((BoolExpr)args[0]),
            TermOp.And => ctx.MkAnd(args.Cast<BoolExpr>()),
            TermOp.Or => ctx.MkOr(args.Cast<BoolExpr>()),
            TermOp.Eq => ctx.MkEq(args[0], args[1]),
            TermOp.Ite => ctx.MkITE((BoolExpr)args[0], args[1], args[2]),
            TermOp.BvAdd => ctx.MkBVAdd(Bv(args[0]), Bv(args[1])),
            TermOp.BvSub => ctx.MkBVSub(Bv(args[0]), Bv(args[1])),
            TermOp.BvMul => ctx.MkBVMul(Bv(args[0]), Bv(args[1])),
            TermOp.BvUDiv => ctx.MkBVUDiv(Bv(args[0]), Bv(args[1])),
            TermOp.BvURem => ctx.MkBVURem(Bv(args[0]), Bv(args[1])),
            TermOp.BvNeg => ctx.MkBVNeg(Bv(args[0])),
            TermOp.BvNot => ctx.MkBVNot(Bv(args[0])),
            TermOp.BvAnd => ctx.MkBVAND(Bv(args[0]), Bv(args[1])),
            TermOp.BvOr => ctx.MkBVOR(Bv(args[0]), Bv(args[1])),
            TermOp.BvXor => ctx.MkBVXOR(Bv(args[0]), Bv(args[1])),
            TermOp.BvShl => ctx.MkBVSHL(Bv(args[0]), Bv(args[1])),
            TermOp.BvLShr => ctx.MkBVLSHR(Bv(args[0]), Bv(args[1])),
            TermOp.ZeroExt => ctx.MkZeroExt(term.High, Bv(args[0])),
            TermOp.SignExt => ctx.MkSignExt(term.High, Bv(args[0])),
            TermOp.Extract => ctx.MkExtract(term.High, term.Low, Bv(args[0])),
            TermOp.Concat => ctx.MkConcat(Bv(args[0]), Bv(args[1])),
            TermOp.BvSlt => ctx.MkBVSLT(Bv(args[0]), Bv(args[1])),
            TermOp.BvSle => ctx.MkBVSLE(Bv(args[0]), Bv(args[1])),
            TermOp.BvSgt => ctx.MkBVSGT(Bv(args[0]), Bv(args[1])),
            TermOp.BvSge => ctx.MkBVSGE(Bv(args[0]), Bv(args[1])),
            TermOp.BvUlt => ctx.MkBVULT(Bv(args[0]), Bv(args[1])),
            TermOp.BvUle => ctx.MkBVULE(Bv(args[0]), Bv(args[1])),
            TermOp.BvUgt => ctx.MkBVUGT(Bv(args[0]), Bv(args[1])),
            TermOp.BvUge => ctx.MkBVUGE(Bv(args[0]), Bv(args[1])),
            TermOp.Length => ctx.MkLength((SeqExpr)args[0]),
            TermOp.SeqExtract => ctx.MkExtract((SeqExpr)args[0], (IntExpr)args[1], (IntExpr)args[2]),
            TermOp.IntLe => ctx.MkLe((ArithExpr)args[0], (ArithExpr)args[1]),
            TermOp.Select => ctx.MkSelect((ArrayExpr)args[0], args[1]),
            _ => throw new InvalidOperationException($"no Z3 form for {term.Op}"),
        };
        return result;
    }

    /// <summary>Z3's simplification of a term, as a term; the term itself when Z3's answer leaves the fragment.</summary>
    public Term Simplify(Term term)
    {
        var simplified = ToZ3(term).Simplify();
        if (term.IsBool)
        {
            // A branch condition is simplified only to see whether it is decided: reading the rest back is wasted work.
            return simplified.IsTrue ? TermBuilder.True : simplified.IsFalse ? TermBuilder.False : term;
        }

        return FromZ3(simplified) ?? term;
    }

    private static readonly TermBuilder Builder = new();

    private static BitVecExpr Bv(Expr e) => (BitVecExpr)e;

    private Expr Constant(Term term)
    {
        var name = (string)term.Payload!;
        constants.TryAdd(name, term);
        return ctx.MkConst(name, Sort(term.Sort));
    }

    private FuncDecl Declaration(FunctionSymbol function)
    {
        var key = $"{function.Name}({string.Join(",", function.Domain)}):{function.Range}";
        if (!declarations.TryGetValue(key, out var declaration))
        {
            declarations[key] = declaration = ctx.MkFuncDecl(function.Name, [.. function.Domain.Select(Sort)], Sort(function.Range));
            functions[function.Name] = function;
        }

        return declaration;
    }

    public Sort Sort(TermSort sort) => sort.Kind switch
    {
        SortKind.Bool => ctx.BoolSort,
        SortKind.BitVec => ctx.MkBitVecSort(sort.Bits),
        SortKind.Int => ctx.IntSort,
        SortKind.String => ctx.StringSort,
        SortKind.Array => ctx.MkArraySort(Sort(sort.Domain!), Sort(sort.Range!)),
        _ => throw new InvalidOperationException($"no Z3 sort for {sort}"),
    };

    /// <summary>The term a Z3 expression stands for, when it is in the executor's fragment; else null. Iterative, and
    /// each node of Z3's DAG is read back once (the cache holds the expressions, so their ids are never reused).</summary>
    private Term? FromZ3(Expr root)
    {
        var stack = new Stack<(Expr Expr, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (e, expanded) = stack.Pop();
            if (terms.ContainsKey(e.Id))
            {
                continue;
            }

            if (!expanded && e.NumArgs > 0)
            {
                stack.Push((e, true));
                foreach (var arg in e.Args)
                {
                    if (!terms.ContainsKey(arg.Id))
                    {
                        stack.Push((arg, false));
                    }
                }

                continue;
            }

            var term = ReadBack(e);
            terms[e.Id] = (e, term);
            if (term is not null)
            {
                expressions.TryAdd(term, e);
            }
        }

        return terms[root.Id].Term;
    }

    private Term? ReadBack(Expr e)
    {
        var t = Builder;
        if (e.IsTrue)
        {
            return TermBuilder.True;
        }

        if (e.IsFalse)
        {
            return TermBuilder.False;
        }

        if (e is BitVecNum number)
        {
            return new Term(TermOp.BitVecLiteral, TermSort.BitVec(number.SortSize), [], number.BigInteger);
        }

        // Operations are recognised by their SMT-LIB names, not by Z3_decl_kind: the managed binding's enum is Z3 4.12's,
        // and the native library here is Debian's 4.8, whose numbering differs (its uninterpreted symbols read as
        // Z3_OP_RECURSIVE through the newer enum).
        var declaration = e.FuncDecl;
        var name = declaration.Name.ToString();
        if (e.IsConst)
        {
            return constants.TryGetValue(name, out var constant) ? constant : null;
        }

        var args = new Term[e.NumArgs];
        var children = e.Args;
        for (var i = 0; i < args.Length; i++)
        {
            if (!terms.TryGetValue(children[i].Id, out var read) || read.Term is not { } arg)
            {
                return null;
            }

            args[i] = arg;
        }

        if (functions.TryGetValue(name, out var function) && function.Domain.Length == args.Length)
        {
            return function.Apply(args);
        }

        uint Parameter(int i) => (uint)declaration.Parameters[i].Int;
        return (name, args.Length) switch
        {
            ("not", 1) => t.MkNot(args[0]),
            ("and", _) => t.MkAnd(args),
            ("or", _) => t.MkOr(args),
            ("=", 2) => t.MkEq(args[0], args[1]),
            ("ite", 3) => t.MkITE(args[0], args[1], args[2]),
            ("bvadd", >= 2) => Fold(args, t.MkBVAdd),
            ("bvmul", >= 2) => Fold(args, t.MkBVMul),
            ("bvsub", 2) => t.MkBVSub(args[0], args[1]),
            ("bvudiv" or "bvudiv_i", 2) => t.MkBVUDiv(args[0], args[1]),
            ("bvurem" or "bvurem_i", 2) => t.MkBVURem(args[0], args[1]),
            ("bvneg", 1) => t.MkBVNeg(args[0]),
            ("bvnot", 1) => t.MkBVNot(args[0]),
            ("bvand", >= 2) => Fold(args, t.MkBVAND),
            ("bvor", >= 2) => Fold(args, t.MkBVOR),
            ("bvxor", >= 2) => Fold(args, t.MkBVXOR),
            ("bvshl", 2) => t.MkBVSHL(args[0], args[1]),
            ("bvlshr", 2) => t.MkBVLSHR(args[0], args[1]),
            ("zero_extend", 1) => t.MkZeroExt(Parameter(0), args[0]),
            ("sign_extend", 1) => t.MkSignExt(Parameter(0), args[0]),
            ("extract", 1) => t.MkExtract(Parameter(0), Parameter(1), args[0]),
            ("concat", >= 2) => Fold(args, t.MkConcat),
            ("bvslt", 2) => t.MkBVSLT(args[0], args[1]),
            ("bvsle", 2) => t.MkBVSLE(args[0], args[1]),
            ("bvsgt", 2) => t.MkBVSGT(args[0], args[1]),
            ("bvsge", 2) => t.MkBVSGE(args[0], args[1]),
            ("bvult", 2) => t.MkBVULT(args[0], args[1]),
            ("bvule", 2) => t.MkBVULE(args[0], args[1]),
            ("bvugt", 2) => t.MkBVUGT(args[0], args[1]),
            ("bvuge", 2) => t.MkBVUGE(args[0], args[1]),
            ("select", 2) => t.MkSelect(args[0], args[1]),
            _ => null,
        };
    }

    private static Term Fold(Term[] args, Func<Term, Term, Term> op) => args.Skip(1).Aggregate(args[0], op);
}
