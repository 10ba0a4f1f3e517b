using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Language;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Symbolic.Values;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Symbolic;

// Expressions, with bpftrace 0.17's integer rules as measured on this host: every integer is 64 bits; literals are signed;
// an operation is signed only when both operands are; '/', '%' and '>>' are unsigned, and x/0 = x%0 = 0; casts truncate
// and then sign- or zero-extend.
internal sealed partial class SymbolicExecutor
{
    private SymValue Eval(Expression expression, Frame frame)
    {
        var value = EvalCore(expression, frame);
        if (frame.Trace is not null && expression is not (IntegerLiteral or StringLiteral or IdentifierExpression)
            && value is IntValue or StringValue)
        {
            frame.Trace.Add((BpftracePrinter.Print(expression), value));
        }

        return value;
    }

    private SymValue EvalCore(Expression expression, Frame frame)
    {
        switch (expression)
        {
            case IntegerLiteral literal:
                return Int(ctx.MkBV(literal.Value, 64), 64, true);
            case StringLiteral literal:
                return new StringValue(ctx.MkString(literal.Value));
            case IdentifierExpression identifier:
                return Identifier(identifier, frame);
            case BuiltinExpression builtin:
                return Builtin(builtin, frame);
            case VariableExpression variable:
                if (frame.State.Variables.TryGetValue(variable.Name, out var stored))
                {
                    return stored;
                }

                notes.Add($"line {Line(variable.Span)}: {variable.Name} is read before it is assigned on some path; bpftrace reads it as 0");
                return Int(Zero, 64, true);
            case PositionalParameterExpression positional:
                return Input(frame, positional.Text, 64, false, "positional parameters are given on the command line");
            case MapExpression map:
                return ReadMap(map, frame);
            case UnaryExpression unary:
                return Unary(unary, frame);
            case BinaryExpression binary:
                return Binary(binary, frame);
            case ConditionalExpression conditional:
                return Conditional(conditional, frame);
            case CastExpression cast:
                return Cast(cast, Eval(cast.Operand, frame));
            case FieldAccessExpression access:
                return FieldAccess(access, frame);
            case IndexExpression index:
                return Index(index, frame);
            case TupleExpression tuple:
                return new TupleValue([.. tuple.Elements.Select(e => Eval(e, frame))]);
            case TupleAccessExpression access:
                return Eval(access.Target, frame) is TupleValue t && access.Index < t.Elements.Length
                    ? t.Elements[access.Index]
                    : throw Unsupported($"tuple element .{access.Index}", access.Span);
            case CallExpression call:
                return Call(call, frame);
            default:
                throw Unsupported($"the expression '{BpftracePrinter.Print(expression)}'", expression.Span);
        }
    }

    private SymValue Identifier(IdentifierExpression identifier, Frame frame)
    {
        if (constants.TryGetValue(identifier.Name, out var value))
        {
            return Int(ctx.MkBV(unchecked((ulong)value), 64), 64, true);
        }

        if (Btf?.FindEnumConstant(identifier.Name) is { } constant)
        {
            return Int(ctx.MkBV(unchecked((ulong)constant.Value), 64), 64, true);
        }

        return Input(frame, identifier.Name, 64, true, $"'{identifier.Name}' has no known value (not a kernel enum constant, a #define of the program or a contract constant)");
    }

    // ---------------------------------------------------------------- operators

    private SymValue Unary(UnaryExpression unary, Frame frame)
    {
        switch (unary.Operator)
        {
            case UnaryOperator.PreIncrement or UnaryOperator.PreDecrement or UnaryOperator.PostIncrement or UnaryOperator.PostDecrement:
            {
                var old = AsInt(Eval(unary.Operand, frame), unary.Operand);
                var delta = ctx.MkBV(1, 64);
                var updated = old with
                {
                    Term = unary.Operator is UnaryOperator.PreIncrement or UnaryOperator.PostIncrement ? ctx.MkBVAdd(old.Term, delta) : ctx.MkBVSub(old.Term, delta),
                    Pointer = null,
                };
                Store(unary.Operand, updated, frame);
                return unary.IsPostfix ? old : updated;
            }

            case UnaryOperator.LogicalNot:
                return FromBool(ctx.MkNot(Truthy(Eval(unary.Operand, frame), unary.Operand)));
            case UnaryOperator.Negate:
            {
                var operand = AsInt(Eval(unary.Operand, frame), unary.Operand);
                return Int(ctx.MkBVNeg(operand.Term), 64, true);
            }

            case UnaryOperator.BitwiseNot:
            {
                var operand = AsInt(Eval(unary.Operand, frame), unary.Operand);
                return Int(ctx.MkBVNot(operand.Term), 64, operand.Signed);
            }

            default:
                return Dereference(unary, Eval(unary.Operand, frame), frame);
        }
    }

    private SymValue Binary(BinaryExpression binary, Frame frame)
    {
        if (binary.Operator is BinaryOperator.LogicalAnd or BinaryOperator.LogicalOr)
        {
            var left = Truthy(Eval(binary.Left, frame), binary.Left);
            var guard = binary.Operator == BinaryOperator.LogicalAnd ? left : ctx.MkNot(left);
            var right = Truthy(Under(frame, guard, () => Eval(binary.Right, frame)), binary.Right);
            return FromBool(binary.Operator == BinaryOperator.LogicalAnd ? ctx.MkAnd(left, right) : ctx.MkOr(left, right));
        }

        var l = Eval(binary.Left, frame);
        var r = Eval(binary.Right, frame);
        if (binary.Operator is BinaryOperator.Equal or BinaryOperator.NotEqual && (l is StringValue || r is StringValue))
        {
            if (l is not StringValue ls || r is not StringValue rs)
            {
                throw Unsupported("comparing a string with a non-string", binary.Span);
            }

            var equal = ctx.MkEq(ls.Term, rs.Term);
            return FromBool(binary.Operator == BinaryOperator.Equal ? equal : ctx.MkNot(equal));
        }

        var a = AsInt(l, binary.Left);
        var b = AsInt(r, binary.Right);
        var signed = a.Signed && b.Signed;
        return binary.Operator switch
        {
            BinaryOperator.Equal => FromBool(ctx.MkEq(a.Term, b.Term)),
            BinaryOperator.NotEqual => FromBool(ctx.MkNot(ctx.MkEq(a.Term, b.Term))),
            BinaryOperator.Less => FromBool(signed ? ctx.MkBVSLT(a.Term, b.Term) : ctx.MkBVULT(a.Term, b.Term)),
            BinaryOperator.LessOrEqual => FromBool(signed ? ctx.MkBVSLE(a.Term, b.Term) : ctx.MkBVULE(a.Term, b.Term)),
            BinaryOperator.Greater => FromBool(signed ? ctx.MkBVSGT(a.Term, b.Term) : ctx.MkBVUGT(a.Term, b.Term)),
            BinaryOperator.GreaterOrEqual => FromBool(signed ? ctx.MkBVSGE(a.Term, b.Term) : ctx.MkBVUGE(a.Term, b.Term)),
            _ => Arithmetic(binary.Operator, a, b, binary.Span),
        };
    }

    /// <summary><c>a op b</c> for the arithmetic and bitwise operators (also used by <c>x op= v</c>).</summary>
    private IntValue Arithmetic(BinaryOperator op, IntValue a, IntValue b, TextSpan span)
    {
        var signed = a.Signed && b.Signed;
        var zero = ctx.MkEq(b.Term, Zero);
        var term = op switch
        {
            BinaryOperator.Add => ctx.MkBVAdd(a.Term, b.Term),
            BinaryOperator.Subtract => ctx.MkBVSub(a.Term, b.Term),
            BinaryOperator.Multiply => ctx.MkBVMul(a.Term, b.Term),
            BinaryOperator.Divide => (Term)ctx.MkITE(zero, Zero, ctx.MkBVUDiv(a.Term, b.Term)),
            BinaryOperator.Modulo => (Term)ctx.MkITE(zero, Zero, ctx.MkBVURem(a.Term, b.Term)),
            BinaryOperator.ShiftLeft => ctx.MkBVSHL(a.Term, b.Term),
            BinaryOperator.ShiftRight => ctx.MkBVLSHR(a.Term, b.Term),
            BinaryOperator.BitwiseAnd => ctx.MkBVAND(a.Term, b.Term),
            BinaryOperator.BitwiseOr => ctx.MkBVOR(a.Term, b.Term),
            BinaryOperator.BitwiseXor => ctx.MkBVXOR(a.Term, b.Term),
            _ => throw Unsupported($"the operator {OperatorFacts.Spelling(op)} on integers", span),
        };
        return Int(term, 64, signed);
    }

    private SymValue Conditional(ConditionalExpression conditional, Frame frame)
    {
        var condition = Truthy(Eval(conditional.Condition, frame), conditional.Condition);
        var whenTrue = Under(frame, condition, () => Eval(conditional.WhenTrue, frame));
        var whenFalse = Under(frame, ctx.MkNot(condition), () => Eval(conditional.WhenFalse, frame));
        return (whenTrue, whenFalse) switch
        {
            (IntValue t, IntValue f) => Int((Term)ctx.MkITE(condition, t.Term, f.Term), Math.Max(t.Bits, f.Bits), t.Signed && f.Signed,
                t.Pointer ?? f.Pointer),
            (StringValue t, StringValue f) => new StringValue((Term)ctx.MkITE(condition, t.Term, f.Term)),
            _ => throw Unsupported("a ?: whose branches are not both integers or both strings", conditional.Span),
        };
    }

    /// <summary>Evaluates a sub-expression whose side effects only happen when <paramref name="guard"/> holds.</summary>
    private T Under<T>(Frame frame, Term guard, Func<T> evaluate)
    {
        var outer = frame.Guard;
        frame.Guard = outer is null ? guard : ctx.MkAnd(outer, guard);
        try
        {
            return evaluate();
        }
        finally
        {
            frame.Guard = outer;
        }
    }

    private SymValue Cast(CastExpression cast, SymValue operand)
    {
        var type = cast.Type;
        if (type.PointerDepth > 0)
        {
            var address = AsInt(operand, cast.Operand);
            var region = address.Pointer?.Region ?? MemoryRegion.Kernel;
            return address with { Bits = 64, Signed = false, Pointer = new PointerInfo(PointerTarget(type), type.Name, region) };
        }

        if (BpftraceVocabulary.IntegerTypes.Contains(type.Name))
        {
            var value = AsInt(operand, cast.Operand);
            if (type.Name == "bool")
            {
                return FromBool(ctx.MkNot(ctx.MkEq(value.Term, Zero)));
            }

            var bits = int.Parse(type.Name.AsSpan(type.Name.StartsWith('u') ? 4 : 3), System.Globalization.CultureInfo.InvariantCulture);
            return Narrow(value.Term, bits, !type.Name.StartsWith('u'));
        }

        if (Btf?.FindTypedef(type.Name) is { } typedef && Btf.Resolve(typedef.Id) is BtfInt or BtfEnum)
        {
            var value = AsInt(operand, cast.Operand);
            var (size, signed) = IntegerShape(Btf.Resolve(typedef.Id));
            return Narrow(value.Term, size * 8, signed);
        }

        throw Unsupported($"a cast to '{type}'", cast.Span);
    }

    private int? PointerTarget(TypeSyntax type)
    {
        if (Btf is null || type.PointerDepth != 1)
        {
            return null;
        }

        if (type.IsRecord)
        {
            var union = type.Name.StartsWith("union ", StringComparison.Ordinal);
            return Btf.FindComposite(type.Name[(union ? 6 : 7)..].Trim(), union)?.Id;
        }

        return Btf.FindTypedef(type.Name)?.Id;
    }

    /// <summary>Truncates to <paramref name="bits"/> and extends back to 64 bits as the type's signedness says.</summary>
    private IntValue Narrow(Term term, int bits, bool signed)
    {
        if (bits >= 64)
        {
            return Int(term, 64, signed);
        }

        var low = ctx.MkExtract((uint)bits - 1, 0, term);
        return Int(signed ? ctx.MkSignExt(64 - (uint)bits, low) : ctx.MkZeroExt(64 - (uint)bits, low), bits, signed);
    }

    // ---------------------------------------------------------------- assignment

    private void Assign(AssignmentStatement assignment, Frame frame)
    {
        if (assignment.Target is MapExpression map && assignment.CompoundOperator is null
            && assignment.Value is CallExpression call && IsAggregation(call.Name))
        {
            Aggregate(map, call, frame);
            return;
        }

        var value = Eval(assignment.Value, frame);
        if (assignment.CompoundOperator is { } op)
        {
            var old = AsInt(Eval(assignment.Target, frame), assignment.Target);
            value = Arithmetic(op, old, AsInt(value, assignment.Value), assignment.Span);
        }

        Store(assignment.Target, value, frame);
        if (assignment.Target is VariableExpression variable)
        {
            frame.State = frame.State with
            {
                VariableOrigins = frame.State.VariableOrigins.SetItem(variable.Name, BpftracePrinter.Print(assignment.Value)),
            };
        }
    }

    /// <summary>Writes a variable or a map entry; under a guard the old value is kept when the guard is false.</summary>
    private void Store(Expression target, SymValue value, Frame frame)
    {
        switch (target)
        {
            case VariableExpression variable:
            {
                if (frame.Guard is { } guard)
                {
                    var old = frame.State.Variables.GetValueOrDefault(variable.Name) ?? Int(Zero, 64, true);
                    value = Merge(guard, value, old, target.Span);
                }

                frame.State = frame.State with { Variables = frame.State.Variables.SetItem(variable.Name, value) };
                break;
            }

            case MapExpression map:
                WriteMap(map, value, frame);
                break;
            default:
                throw Unsupported($"assignment to '{BpftracePrinter.Print(target)}'", target.Span);
        }
    }

    private SymValue Merge(Term guard, SymValue whenTrue, SymValue whenFalse, TextSpan span) => (whenTrue, whenFalse) switch
    {
        (IntValue t, IntValue f) => t with { Term = (Term)ctx.MkITE(guard, t.Term, f.Term) },
        (StringValue t, StringValue f) => new StringValue((Term)ctx.MkITE(guard, t.Term, f.Term)),
        _ => throw Unsupported("a conditional assignment of values of different kinds", span),
    };

    // ---------------------------------------------------------------- helpers

    private Term Zero => ctx.MkBV(0, 64);

    private IntValue Int(Term term, int bits, bool signed, PointerInfo? pointer = null) => new(term, bits, signed, pointer);

    private IntValue FromBool(Term condition) => Int((Term)ctx.MkITE(condition, ctx.MkBV(1, 64), Zero), 64, true);

    private IntValue AsInt(SymValue value, Expression node) => value switch
    {
        IntValue i => i,
        StringValue => throw Unsupported($"'{BpftracePrinter.Print(node)}' is a string where an integer is needed", node.Span),
        OpaqueValue o => throw Unsupported($"'{BpftracePrinter.Print(node)}' is {o.What}, which is not modelled", node.Span),
        _ => throw Unsupported($"'{BpftracePrinter.Print(node)}' is not an integer", node.Span),
    };

    private Term Truthy(SymValue value, Expression node) => ctx.MkNot(ctx.MkEq(AsInt(value, node).Term, Zero));

    private static UnsupportedConstructException Unsupported(string construct, TextSpan span) => new(construct, span);

    private static bool IsAggregation(string name) => name is "count" or "sum" or "avg" or "min" or "max" or "stats" or "hist" or "lhist";

    private static (int Size, bool Signed) IntegerShape(BtfType type) => type switch
    {
        BtfInt i => (i.IsBool ? 1 : i.Size, i.IsSigned),
        BtfEnum e => (e.Size, e.IsSigned),
        _ => (8, false),
    };

    /// <summary>A named input of the probe: the same name is the same value everywhere on a run.</summary>
    private IntValue Input(Frame frame, string name, int bits, bool signed, string? note = null, PointerInfo? pointer = null)
    {
        var key = $"{name}:{bits}";
        if (!symbols.TryGetValue(key, out var symbol))
        {
            symbols[key] = symbol = ctx.MkBVConst(name, (uint)bits);
            if (note is not null)
            {
                notes.Add($"{name}: {note}; treated as an unconstrained input");
            }
        }

        var raw = (Term)symbol;
        frame.State = frame.State.Read(new InputSymbol(name, raw, bits, signed));
        var term = bits == 64 ? raw : signed ? ctx.MkSignExt(64 - (uint)bits, raw) : ctx.MkZeroExt(64 - (uint)bits, raw);
        return Int(term, bits, signed, pointer);
    }

    private StringValue StringInput(Frame frame, string name, int maxLength)
    {
        var key = $"{name}:string";
        if (!symbols.TryGetValue(key, out var symbol))
        {
            symbols[key] = symbol = ctx.MkConst(name, ctx.StringSort);
        }

        var term = (Term)symbol;
        if (!frame.State.Inputs.Any(i => i.Name == name))
        {
            frame.State = frame.State.Read(new InputSymbol(name, term, 0, false))
                .Assume(ctx.MkLe(ctx.MkLength(term), ctx.MkInt(maxLength)));
        }

        return new StringValue(term);
    }

}
