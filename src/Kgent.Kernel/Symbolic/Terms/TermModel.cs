using System.Numerics;
using Microsoft.Z3;

namespace Kgent.Kernel.Symbolic.Terms;

/// <summary>A satisfying assignment, read through terms: the value a term has in it, as a number or a string.</summary>
internal sealed class TermModel(Model model, Z3Terms terms)
{
    /// <summary>The bit-vector value of <paramref name="term"/>, or null with Z3's printing of what it evaluated to.</summary>
    public (BigInteger? Value, string Printed) BitVec(Term term)
    {
        var evaluated = model.Eval(terms.ToZ3(term), true);
        return evaluated is BitVecNum number ? (number.BigInteger, evaluated.ToString()) : (null, evaluated.ToString());
    }

    public (string? Value, string Printed) String(Term term)
    {
        var evaluated = model.Eval(terms.ToZ3(term), true);
        return evaluated.IsString ? (evaluated.String, evaluated.ToString()) : (null, evaluated.ToString());
    }
}
