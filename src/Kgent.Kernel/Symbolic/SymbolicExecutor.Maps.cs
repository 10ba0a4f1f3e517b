using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Symbolic.Values;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Symbolic;

// Maps as arrays: an entry's value before the probe fired is an uninterpreted function of its key (maps outlive a probe
// firing, so it can be anything, zero included), and the probe's own writes are layered on top, newest first. clear()
// and zero() make every entry zero; delete() zeroes one.
internal sealed partial class SymbolicExecutor
{
    private SymValue ReadMap(MapExpression map, Frame frame)
    {
        var key = MapKey(map, frame);
        var state = frame.State.Maps.GetValueOrDefault(map.Name);
        if (state?.Aggregation is { } aggregation && aggregation is not ("count" or "sum" or "min" or "max"))
        {
            return new OpaqueValue($"a {aggregation}() map");
        }

        var isString = stringMaps.GetValueOrDefault(map.Name);
        Term value;
        if (state is { Cleared: true })
        {
            value = isString ? ctx.MkString(string.Empty) : Zero;
        }
        else
        {
            value = Initial(map.Name, key, isString);
            var name = $"{BpftracePrinter.Print(map)} (stored before this probe fired)";
            frame.State = frame.State.Read(new InputSymbol(name, value, isString ? 0 : 64, true));
        }

        foreach (var write in state?.Writes ?? [])
        {
            if (write.Value.Sort.Equals(value.Sort))
            {
                value = ctx.MkITE(KeyEquals(write.Key, key), write.Value, value);
            }
        }

        return isString ? new StringValue((Term)value) : Int((Term)value, 64, true);
    }

    private void WriteMap(MapExpression map, SymValue value, Frame frame)
    {
        var key = MapKey(map, frame);
        Term term = value switch
        {
            IntValue i => i.Term,
            StringValue s => s.Term,
            _ => throw Unsupported($"storing {Describe(value)} in {map.Name}", map.Span),
        };
        if (!stringMaps.ContainsKey(map.Name))
        {
            stringMaps[map.Name] = value is StringValue;
        }

        if (frame.Guard is { } guard)
        {
            var old = ReadMap(map, frame);
            term = ctx.MkITE(guard, term, old is IntValue oi ? oi.Term : ((StringValue)old).Term);
        }

        var state = frame.State.Maps.GetValueOrDefault(map.Name) ?? new MapState([], false, null);
        frame.State = frame.State with { Maps = frame.State.Maps.SetItem(map.Name, state with { Writes = state.Writes.Add(new MapWrite(key, term)) }) };
    }

    /// <summary><c>@m[k] = count()</c> and friends: count and sum are modelled (old + 1, old + v), min and max as the
    /// smaller/larger of old and v; the others mark the map as an aggregation the executor does not model.</summary>
    private void Aggregate(MapExpression map, CallExpression call, Frame frame)
    {
        var arguments = call.Arguments.Select(a => Eval(a, frame)).ToList();
        switch (call.Name)
        {
            case "count" or "sum" or "min" or "max":
            {
                var old = AsInt(ReadMap(map, frame), map);
                var argument = call.Name == "count" ? null : AsInt(arguments[0], call.Arguments[0]);
                var updated = call.Name switch
                {
                    "count" => ctx.MkBVAdd(old.Term, ctx.MkBV(1, 64)),
                    "sum" => ctx.MkBVAdd(old.Term, argument!.Term),
                    "min" => (Term)ctx.MkITE(ctx.MkBVSLT(argument!.Term, old.Term), argument.Term, old.Term),
                    _ => (Term)ctx.MkITE(ctx.MkBVSGT(argument!.Term, old.Term), argument.Term, old.Term),
                };
                WriteMap(map, Int(updated, 64, true), frame);
                SetAggregation(map.Name, call.Name, frame);
                break;
            }

            default:
                MapKey(map, frame);
                SetAggregation(map.Name, call.Name, frame);
                break;
        }
    }

    private void SetAggregation(string name, string aggregation, Frame frame)
    {
        var state = frame.State.Maps.GetValueOrDefault(name) ?? new MapState([], false, null);
        frame.State = frame.State with { Maps = frame.State.Maps.SetItem(name, state with { Aggregation = aggregation }) };
    }

    private void ClearMap(string name, Frame frame)
    {
        var state = frame.State.Maps.GetValueOrDefault(name) ?? new MapState([], false, null);
        frame.State = frame.State with { Maps = frame.State.Maps.SetItem(name, state with { Writes = [], Cleared = true }) };
    }

    private ImmutableArray<Term> MapKey(MapExpression map, Frame frame)
    {
        var key = ImmutableArray.CreateBuilder<Term>();
        foreach (var expression in map.Keys)
        {
            Flatten(Eval(expression, frame), expression, key);
        }

        return key.ToImmutable();
    }

    private void Flatten(SymValue value, Expression node, ImmutableArray<Term>.Builder key)
    {
        switch (value)
        {
            case IntValue i:
                key.Add(i.Term);
                break;
            case StringValue s:
                key.Add(s.Term);
                break;
            case TupleValue t:
                foreach (var element in t.Elements)
                {
                    Flatten(element, node, key);
                }

                break;
            default:
                // Stacks and other unmodelled keys: one uninterpreted key per spelling.
                key.Add(ctx.MkConst($"key!{BpftracePrinter.Print(node)}", ctx.MkBitVecSort(64)));
                break;
        }
    }

    private Term Initial(string name, ImmutableArray<Term> key, bool isString)
    {
        var range = isString ? ctx.StringSort : (TermSort)ctx.MkBitVecSort(64);
        var signature = $"{name}({string.Join(",", key.Select(k => k.Sort.ToString()))}):{range}";
        if (!functions.TryGetValue(signature, out var function))
        {
            functions[signature] = function = ctx.MkFuncDecl($"{name}!{functions.Count}", [.. key.Select(k => k.Sort)], range);
        }

        return function.Apply([.. key]);
    }

    private Term KeyEquals(ImmutableArray<Term> left, ImmutableArray<Term> right)
    {
        if (left.Length != right.Length)
        {
            return ctx.MkFalse();
        }

        var parts = new List<Term>();
        for (var i = 0; i < left.Length; i++)
        {
            if (!left[i].Sort.Equals(right[i].Sort))
            {
                return ctx.MkFalse();
            }

            parts.Add(ctx.MkEq(left[i], right[i]));
        }

        return parts.Count == 0 ? ctx.MkTrue() : ctx.MkAnd([.. parts]);
    }

    private static string Describe(SymValue value) => value switch
    {
        OpaqueValue o => o.What,
        TupleValue => "a tuple",
        RecordValue r => r.Name,
        ArrayValue => "an array",
        _ => "this value",
    };
}
