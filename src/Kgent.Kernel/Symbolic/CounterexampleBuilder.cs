using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Symbolic.Values;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Symbolic;

/// <summary>Turns a satisfying model of "path ∧ ¬assertion" into a counterexample a person can read: the inputs, the
/// variables, the assertion's sub-expressions, and what the hook's contract says about the values involved.</summary>
internal sealed class CounterexampleBuilder(TermModel model, ProbeRun run)
{
    public SymbolicVerdict.Counterexample Build(PathState state, List<(string Name, SymValue Value)> trace, AnnotationStatement assertion)
    {
        var inputs = state.Inputs
            .Select(input => input.Bits == 0 ? StringOf(input.Name, input.Term) : IntegerOf(input.Name, input.Term, input.Bits, input.Signed, widen: false))
            .ToImmutableArray();
        var variables = state.Variables.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => ValueOf(v.Key, v.Value))
            .ToImmutableArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var condition = BpftracePrinter.Print(assertion.Condition);
        var terms = trace.Where(t => t.Name != condition && seen.Add(t.Name)).Select(t => ValueOf(t.Name, t.Value)).ToImmutableArray();
        return new SymbolicVerdict.Counterexample(Explain(assertion, terms), [.. state.Path], inputs, variables, terms, Notes(state, assertion));
    }

    /// <summary>The model's values of a path's inputs (for a reach witness).</summary>
    public ImmutableArray<ModelValue> Inputs(IEnumerable<InputSymbol> inputs) =>
        [.. inputs.DistinctBy(i => i.Name).Select(input => input.Bits == 0 ? StringOf(input.Name, input.Term) : IntegerOf(input.Name, input.Term, input.Bits, input.Signed, widen: false))];

    /// <summary>"left = v but right = w" for a comparison, else "cond is false".</summary>
    private static string Explain(AnnotationStatement assertion, ImmutableArray<ModelValue> terms)
    {
        string Side(Expression e)
        {
            var text = BpftracePrinter.Print(e);
            return terms.FirstOrDefault(t => t.Name == text) is { } value ? value.ToString() : text;
        }

        return assertion.Condition is BinaryExpression { Operator: var op } binary
            && op is BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.Less or BinaryOperator.LessOrEqual
                or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual
            ? $"{Side(binary.Left)} but {Side(binary.Right)}, so {BpftracePrinter.Print(binary)} is false"
            : $"{Side(assertion.Condition)}, so the assertion is false";
    }

    private ModelValue ValueOf(string name, SymValue value) => value switch
    {
        IntValue i => IntegerOf(name, i.Term, i.Bits, i.Signed, widen: true),
        StringValue s => StringOf(name, s.Term),
        _ => ModelValue.Opaque(name, "<not modelled>"),
    };

    private ModelValue IntegerOf(string name, Term term, int bits, bool signed, bool widen)
    {
        var (value, printed) = model.BitVec(term);
        if (value is not { } number)
        {
            return ModelValue.Opaque(name, "<" + printed + ">");
        }

        var raw = (ulong)(number & ulong.MaxValue);
        if (!widen && bits < 64 && signed && (raw & (1UL << (bits - 1))) != 0)
        {
            raw |= ulong.MaxValue << bits;
        }

        return ModelValue.Integer(name, raw, bits, signed);
    }

    private ModelValue StringOf(string name, Term term)
    {
        var (value, printed) = model.String(term);
        return value is not null ? ModelValue.String(name, value) : ModelValue.Opaque(name, "<" + printed + ">");
    }

    /// <summary>Contract notes whose subject (its last field name) appears in the assertion or in the expressions that
    /// computed the variables it reads.</summary>
    private ImmutableArray<string> Notes(PathState state, AnnotationStatement assertion)
    {
        if (run.Contract is not { } contract)
        {
            return [];
        }

        var text = BpftracePrinter.Print(assertion.Condition);
        var relevant = text + " " + string.Join(" ", state.VariableOrigins.Where(o => text.Contains(o.Key, StringComparison.Ordinal)).Select(o => o.Value));
        return [.. contract.Notes
            .Where(note => note.Key.Length > 0 && relevant.Contains(note.Key, StringComparison.Ordinal))
            .Select(note => $"{contract.Title}: {note.Subject}: {note.Text}")];
    }

}
