using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Symbolic.Values;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Symbolic;

// Calls. Output functions only evaluate their arguments; exit() ends the path (bpftrace 0.17 runs nothing after it);
// str() is a bounded string determined by its address; bswap/ntohs/htons/ntohl/htonl swap bytes exactly; functions
// whose results cannot be modelled give a fresh value named after the call, and a note.
internal sealed partial class SymbolicExecutor
{
    private SymValue Call(CallExpression call, Frame frame)
    {
        var name = call.Name;
        switch (name)
        {
            case "exit":
                if (frame.Guard is null)
                {
                    frame.State = frame.State with { Status = FlowStatus.Returned };
                }
                else
                {
                    notes.Add($"line {Line(call.Span)}: exit() inside a conditional expression is not treated as ending the path");
                }

                return new OpaqueValue("the result of exit()");
            case "clear" or "zero":
                if (call.Arguments is [MapExpression cleared])
                {
                    ClearMap(cleared.Name, frame);
                }

                return new OpaqueValue($"the result of {name}()");
            case "delete":
                if (call.Arguments is [MapExpression deleted])
                {
                    WriteMap(deleted, stringMaps.GetValueOrDefault(deleted.Name) ? new StringValue(ctx.MkString(string.Empty)) : Int(Zero, 64, true), frame);
                }

                return new OpaqueValue("the result of delete()");
            case "printf" or "print" or "debugf" or "time" or "join" or "cat" or "system" or "signal" or "override" or "unwatch":
                foreach (var argument in call.Arguments)
                {
                    Eval(argument, frame);
                }

                return new OpaqueValue($"the result of {name}()");
            case "str":
                return Str(call, frame);
            case "bswap":
            {
                var value = AsInt(Eval(call.Arguments[0], frame), call.Arguments[0]);
                var bits = value.Bits is 16 or 32 or 64 ? value.Bits : value.Bits <= 8 ? 8 : 64;
                return Swap(value.Term, bits);
            }

            case "ntohs" or "htons":
                return Swap(AsInt(Eval(call.Arguments[0], frame), call.Arguments[0]).Term, 16);
            case "ntohl" or "htonl":
                return Swap(AsInt(Eval(call.Arguments[0], frame), call.Arguments[0]).Term, 32);
            case "sizeof":
                return SizeOf(call);
            case "strncmp":
                return Strncmp(call, frame);
            case "kptr":
                return Eval(call.Arguments[0], frame);
            case "uptr":
            {
                var value = Eval(call.Arguments[0], frame);
                return value is IntValue { Pointer: { } pointer } i ? i with { Pointer = pointer with { Region = MemoryRegion.User } } : value;
            }

            case "ntop" or "ksym" or "usym" or "macaddr" or "strerror" or "path" or "cgroup_path" or "strftime":
                foreach (var argument in call.Arguments)
                {
                    Eval(argument, frame);
                }

                return StringInput(frame, BpftracePrinter.Print(call), options.StringBound);
            case "kaddr" or "uaddr" or "cgroupid" or "reg":
                return Input(frame, BpftracePrinter.Print(call), 64, false);
            case "kstack" or "ustack" or "buf" or "pton" or "skboutput":
                foreach (var argument in call.Arguments.Where(a => a is not IdentifierExpression))
                {
                    Eval(argument, frame);
                }

                return new OpaqueValue($"the result of {name}()");
            default:
                if (IsAggregation(name))
                {
                    return new OpaqueValue($"{name}() outside a map assignment");
                }

                foreach (var argument in call.Arguments)
                {
                    Eval(argument, frame);
                }

                return Input(frame, BpftracePrinter.Print(call), 64, false, $"the result of {name}() is not modelled");
        }
    }

    /// <summary>Reverses the low <paramref name="bits"/> bits byte by byte; the result is unsigned and that wide.</summary>
    private IntValue Swap(Term term, int bits)
    {
        if (bits <= 8)
        {
            return Narrow(term, 8, false);
        }

        Term? swapped = null;
        for (var i = 0; i < bits / 8; i++)
        {
            var octet = ctx.MkExtract((uint)((i * 8) + 7), (uint)(i * 8), term);
            swapped = swapped is null ? octet : ctx.MkConcat(swapped, octet);
        }

        return Int(bits == 64 ? swapped! : ctx.MkZeroExt(64 - (uint)bits, swapped!), bits, false);
    }

    private SymValue Str(CallExpression call, Frame frame)
    {
        var value = Eval(call.Arguments[0], frame);
        var limit = options.StringBound;
        if (call.Arguments.Length > 1 && call.Arguments[1] is IntegerLiteral { Value: var size and > 0 and < 4096 })
        {
            limit = Math.Min(limit, (int)size - 1);
        }

        switch (value)
        {
            case StringValue s:
                return s;
            case ArrayValue { IsChar: true } array:
                return StringAt(frame, array.Region, array.Address, (int)Math.Min(limit, Math.Max(0, array.Length - 1)), call);
            case IntValue i:
                return StringAt(frame, i.Pointer?.Region ?? MemoryRegion.Kernel, i.Term, limit, call);
            default:
                throw Unsupported($"str() of {Describe(value)}", call.Span);
        }
    }

    /// <summary>The string at an address: an uninterpreted function of the address per memory region, so the same
    /// address gives the same string, bounded in length.</summary>
    private StringValue StringAt(Frame frame, MemoryRegion region, Term address, int maxLength, CallExpression call)
    {
        var key = $"str!{region}";
        if (!functions.TryGetValue(key, out var function))
        {
            functions[key] = function = ctx.MkFuncDecl($"string!{region.ToString().ToLowerInvariant()}", ctx.MkBitVecSort(64), ctx.StringSort);
        }

        var term = (Term)function.Apply(address);
        frame.State = frame.State.Read(new InputSymbol(BpftracePrinter.Print(call), term, 0, false))
            .Assume(ctx.MkLe(ctx.MkLength(term), ctx.MkInt(maxLength)));
        return new StringValue(term);
    }

    private SymValue Strncmp(CallExpression call, Frame frame)
    {
        var left = Eval(call.Arguments[0], frame);
        var right = Eval(call.Arguments[1], frame);
        if (left is not StringValue a || right is not StringValue b || call.Arguments[2] is not IntegerLiteral { Value: var n })
        {
            throw Unsupported("strncmp() of non-strings or with a non-literal length", call.Span);
        }

        var length = ctx.MkInt((long)Math.Min(n, 4096));
        var equal = ctx.MkEq(ctx.MkExtract(a.Term, ctx.MkInt(0), length), ctx.MkExtract(b.Term, ctx.MkInt(0), length));
        return Int((Term)ctx.MkITE(equal, Zero, ctx.MkBV(1, 64)), 64, true);
    }

    private SymValue SizeOf(CallExpression call)
    {
        if (Btf is not null && call.Arguments is [TypeExpression { Type: var type }] && type.PointerDepth == 0)
        {
            int? id = type.IsRecord
                ? Btf.FindComposite(type.Name[(type.Name.StartsWith("union ", StringComparison.Ordinal) ? 6 : 7)..].Trim(), type.Name.StartsWith("union ", StringComparison.Ordinal))?.Id
                : Btf.FindTypedef(type.Name)?.Id;
            if (id is { } found && Btf.SizeOf(found) > 0)
            {
                return Int(ctx.MkBV(Btf.SizeOf(found), 64), 64, false);
            }
        }

        if (call.Arguments is [TypeExpression { Type: { PointerDepth: > 0 } }])
        {
            return Int(ctx.MkBV(8, 64), 64, false);
        }

        throw Unsupported($"'{BpftracePrinter.Print(call)}' (size unknown without BTF)", call.Span);
    }

}
