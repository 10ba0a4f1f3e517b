using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Intent;

/// <summary>Whether an assertion holds without the program: each distinct program term in it (a variable, a map, a
/// field, a builtin, a call) is replaced by a free 64-bit value, and Z3 is asked whether the result can be false. If it
/// cannot (<c>assert(1 == 1)</c>, <c>assert($x == $x)</c>, <c>assert(pid &lt;= pid + 0)</c>), the assertion proves
/// nothing about the program and is dropped with a warning, so an annotation cannot verify a program by asking nothing.</summary>
internal static class Vacuity
{
    public static bool IsVacuous(string condition)
    {
        var parse = BpftraceParser.Parse($"BEGIN {{ $kgent_vacuity = {condition}; }}", "vacuity.bt");
        if (parse.HasErrors || parse.Program.Probes.First().Body.Statements[0] is not Bpftrace.Syntax.Statements.AssignmentStatement { Value: var expression })
        {
            return false;
        }

        var ctx = new TermBuilder();
        var value = Translate(ctx, expression, new Dictionary<string, Term>(StringComparer.Ordinal));
        if (value is null)
        {
            return false;
        }

        try
        {
            return SolverGateway.CheckOnce(ctx.MkEq(value, ctx.MkBV(0, 64)), "can the assertion be false without the program") == QueryAnswer.Unsat;
        }
        catch (SolverUnavailableException)
        {
            return false;
        }
    }

    private static Term? Translate(TermBuilder ctx, Expression expression, Dictionary<string, Term> terms)
    {
        Term Bool(Term b) => ctx.MkITE(b, ctx.MkBV(1, 64), ctx.MkBV(0, 64));
        Term True(Term v) => ctx.MkNot(ctx.MkEq(v, ctx.MkBV(0, 64)));
        switch (expression)
        {
            case IntegerLiteral literal:
                return ctx.MkBV(literal.Value, 64);
            case UnaryExpression { Operator: UnaryOperator.LogicalNot } not when Translate(ctx, not.Operand, terms) is { } operand:
                return Bool(ctx.MkNot(True(operand)));
            case UnaryExpression { Operator: UnaryOperator.Negate } negate when Translate(ctx, negate.Operand, terms) is { } operand:
                return ctx.MkBVNeg(operand);
            case BinaryExpression binary when Translate(ctx, binary.Left, terms) is { } l && Translate(ctx, binary.Right, terms) is { } r:
                return binary.Operator switch
                {
                    BinaryOperator.Add => ctx.MkBVAdd(l, r),
                    BinaryOperator.Subtract => ctx.MkBVSub(l, r),
                    BinaryOperator.Multiply => ctx.MkBVMul(l, r),
                    BinaryOperator.BitwiseAnd => ctx.MkBVAND(l, r),
                    BinaryOperator.BitwiseOr => ctx.MkBVOR(l, r),
                    BinaryOperator.BitwiseXor => ctx.MkBVXOR(l, r),
                    BinaryOperator.Equal => Bool(ctx.MkEq(l, r)),
                    BinaryOperator.NotEqual => Bool(ctx.MkNot(ctx.MkEq(l, r))),
                    BinaryOperator.Less => Bool(ctx.MkBVSLT(l, r)),
                    BinaryOperator.LessOrEqual => Bool(ctx.MkBVSLE(l, r)),
                    BinaryOperator.Greater => Bool(ctx.MkBVSGT(l, r)),
                    BinaryOperator.GreaterOrEqual => Bool(ctx.MkBVSGE(l, r)),
                    BinaryOperator.LogicalAnd => Bool(ctx.MkAnd(True(l), True(r))),
                    BinaryOperator.LogicalOr => Bool(ctx.MkOr(True(l), True(r))),
                    _ => Free(ctx, expression, terms),
                };
            case ConditionalExpression conditional when Translate(ctx, conditional.Condition, terms) is { } c
                && Translate(ctx, conditional.WhenTrue, terms) is { } t && Translate(ctx, conditional.WhenFalse, terms) is { } f:
                return ctx.MkITE(True(c), t, f);
            case StringLiteral:
                return null;
            default:
                return Free(ctx, expression, terms);
        }
    }

    /// <summary>A program term as a free value; the same text is the same value.</summary>
    private static Term Free(TermBuilder ctx, Expression expression, Dictionary<string, Term> terms)
    {
        var text = Bpftrace.Printing.BpftracePrinter.Print(expression);
        if (!terms.TryGetValue(text, out var term))
        {
            terms[text] = term = ctx.MkBVConst($"t{terms.Count}", 64);
        }

        return term;
    }
}
