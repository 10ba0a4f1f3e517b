using Kgent.Kernel.Bpftrace.Language;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Tracepoints;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Symbolic.Values;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Symbolic;

// Memory: each region (kernel objects, the tracepoint record, user buffers) is one array from 64-bit addresses to bytes.
// A field read is a little-endian read of the field's bytes at base + offset, so the same address always gives the same
// value, whichever struct type or path reached it. Widths, offsets and signedness come from BTF or the tracepoint format.
internal sealed partial class SymbolicExecutor
{
    private SymValue FieldAccess(FieldAccessExpression access, Frame frame)
    {
        var target = Eval(access.Target, frame);
        var name = BpftracePrinter.Print(access);
        switch (target)
        {
            case ContextValue:
                return ContextField(access, name, frame);
            case IntValue { Pointer: { Target: { } id } pointer } when Btf?.Resolve(id) is BtfComposite composite && access.IsArrow:
                return Field(composite, ((IntValue)target).Term, pointer.Region, access, name, frame);
            case RecordValue { Composite: { } composite } record when !access.IsArrow:
                return Field(composite, record.Address, record.Region, access, name, frame);
            default:
                throw Unsupported($"the field access '{name}' (no BTF type for its target)", access.Span);
        }
    }

    private SymValue Field(BtfComposite composite, Term baseAddress, MemoryRegion region, FieldAccessExpression access, string name, Frame frame)
    {
        var field = Btf!.FindField(composite, access.Field)
            ?? throw Unsupported($"'{composite.Keyword} {composite.Name}' has no field '{access.Field}'", access.Span);
        var address = ctx.MkBVAdd(baseAddress, ctx.MkBV(field.ByteOffset, 64));
        if (field.BitfieldSize > 0)
        {
            var signed = IntegerShape(Btf.Resolve(field.Type)).Signed;
            var unit = ReadBytes(region, address, 8);
            var shift = (uint)(field.BitOffset % 8);
            var bits = ctx.MkExtract(shift + (uint)field.BitfieldSize - 1, shift, unit);
            frame.State = frame.State.Read(new InputSymbol(name, bits, field.BitfieldSize, signed));
            return Int(signed ? ctx.MkSignExt(64 - (uint)field.BitfieldSize, bits) : ctx.MkZeroExt(64 - (uint)field.BitfieldSize, bits), field.BitfieldSize, signed);
        }

        return ReadTyped(region, address, field.Type, name, frame, access);
    }

    /// <summary>The value of BTF type <paramref name="typeId"/> stored at <paramref name="address"/>.</summary>
    private SymValue ReadTyped(MemoryRegion region, Term address, int typeId, string name, Frame frame, Expression node)
    {
        var type = Btf!.Resolve(typeId);
        switch (type)
        {
            case BtfInt or BtfEnum:
            {
                var (size, signed) = IntegerShape(type);
                return ReadInteger(region, address, size, signed, name, frame);
            }

            case BtfPointer pointer:
            {
                var value = ReadInteger(region, address, 8, false, name, frame);
                var targetType = Btf.Resolve(pointer.Target);
                var display = targetType is BtfComposite c ? $"{c.Keyword} {c.Name}" : Btf.Format(pointer.Target);
                return value with { Pointer = new PointerInfo(pointer.Target, display, region == MemoryRegion.User ? MemoryRegion.User : MemoryRegion.Kernel) };
            }

            case BtfComposite composite:
                return new RecordValue(address, composite, $"{composite.Keyword} {composite.Name}", region);
            case BtfArray array:
            {
                var element = Btf.Resolve(array.ElementType);
                var (size, signed) = IntegerShape(element);
                var isChar = element is BtfInt { Size: 1 } ei && (ei.IsChar || ei.Name.Contains("char", StringComparison.Ordinal));
                return new ArrayValue(address, (int)Math.Max(1, Btf.SizeOf(array.ElementType)), signed, array.ElementType, array.Count, isChar, region);
            }

            default:
                throw Unsupported($"reading '{name}' of type {Btf.Format(typeId)}", node.Span);
        }
    }

    private IntValue ReadInteger(MemoryRegion region, Term address, int size, bool signed, string name, Frame frame)
    {
        var raw = ReadBytes(region, address, size);
        frame.State = frame.State.Read(new InputSymbol(name, raw, size * 8, signed));
        if (size >= 8)
        {
            return Int(raw, 64, signed);
        }

        var extension = (uint)(64 - (size * 8));
        return Int(signed ? ctx.MkSignExt(extension, raw) : ctx.MkZeroExt(extension, raw), size * 8, signed);
    }

    /// <summary>Little-endian read of <paramref name="size"/> bytes.</summary>
    private Term ReadBytes(MemoryRegion region, Term address, int size)
    {
        var memory = Memory(region);
        Term? result = null;
        for (var i = 0; i < size; i++)
        {
            var at = i == 0 ? address : ctx.MkBVAdd(address, ctx.MkBV(i, 64));
            var value = (Term)ctx.MkSelect(memory, at);
            result = result is null ? value : ctx.MkConcat(value, result);
        }

        return solver.Simplify(result!);
    }

    private Term Memory(MemoryRegion region)
    {
        if (!memories.TryGetValue(region, out var memory))
        {
            memories[region] = memory = ctx.MkArrayConst($"memory!{region.ToString().ToLowerInvariant()}", ctx.MkBitVecSort(64), ctx.MkBitVecSort(8));
        }

        return memory;
    }

    // ---------------------------------------------------------------- args

    private SymValue ContextField(FieldAccessExpression access, string name, Frame frame)
    {
        if (run.Tracepoint is { } format)
        {
            var field = format.FindField(access.Field)
                ?? throw Unsupported($"tracepoint {format.Name} has no field '{access.Field}'", access.Span);
            return TracepointField(format, field, name, frame);
        }

        if (run.Type is ProbeType.Kfunc or ProbeType.Kretfunc && run.Prototype is { } prototype)
        {
            var parameter = prototype.Parameters.FirstOrDefault(p => p.Name == access.Field)
                ?? throw Unsupported($"{run.Function}() has no parameter '{access.Field}'", access.Span);
            return Parameter(parameter, name, frame);
        }

        throw Unsupported($"'{name}' (the probe's arguments are not known from the catalog)", access.Span);
    }

    private SymValue TracepointField(TracepointFormat format, TracepointField field, string name, Frame frame)
    {
        var address = ctx.MkBV(field.Offset, 64);
        if (field.ArrayLength is { } length)
        {
            var elementSize = (int)Math.Max(1, field.Size / Math.Max(1, length));
            return new ArrayValue(address, elementSize, field.IsSigned, null, length, field.IsCharArray, MemoryRegion.Context);
        }

        if (field.IsDataLoc)
        {
            return ReadInteger(MemoryRegion.Context, address, 4, false, name, frame);
        }

        var value = ReadInteger(MemoryRegion.Context, address, Math.Clamp(field.Size, 1, 8), field.IsSigned, name, frame);
        if (!field.IsPointer)
        {
            return value;
        }

        // Syscall tracepoints carry user-space pointers; the others point into the kernel.
        var target = field.CType[..^1].Replace("const ", string.Empty, StringComparison.Ordinal).Trim();
        int? targetId = target.StartsWith("struct ", StringComparison.Ordinal) ? Btf?.FindComposite(target[7..].Trim())?.Id : null;
        var region = format.Category == "syscalls" ? MemoryRegion.User : MemoryRegion.Kernel;
        return value with { Pointer = new PointerInfo(targetId, target, region) };
    }

    private SymValue Parameter(BtfParameter parameter, string name, Frame frame)
    {
        var type = Btf!.Resolve(parameter.Type);
        switch (type)
        {
            case BtfPointer pointer:
            {
                var display = Btf.Resolve(pointer.Target) is BtfComposite c ? $"{c.Keyword} {c.Name}" : Btf.Format(pointer.Target);
                return Input(frame, name, 64, false, pointer: new PointerInfo(pointer.Target, display, MemoryRegion.Kernel));
            }

            case BtfInt or BtfEnum:
            {
                var (size, signed) = IntegerShape(type);
                return Input(frame, name, size * 8, signed);
            }

            default:
                return Input(frame, name, 64, false);
        }
    }

    // ---------------------------------------------------------------- indexing and dereference

    private SymValue Index(IndexExpression index, Frame frame)
    {
        var target = Eval(index.Target, frame);
        var position = AsInt(Eval(index.Index, frame), index.Index);
        var name = BpftracePrinter.Print(index);
        switch (target)
        {
            case ArrayValue array:
            {
                var address = ctx.MkBVAdd(array.Address, ctx.MkBVMul(position.Term, ctx.MkBV(array.ElementSize, 64)));
                return array.ElementType is { } element && Btf is not null
                    ? ReadTyped(array.Region, address, element, name, frame, index)
                    : ReadInteger(array.Region, address, Math.Clamp(array.ElementSize, 1, 8), array.ElementSigned, name, frame);
            }

            case IntValue { Pointer: { } pointer } value:
            {
                var (size, signed, typeId) = Pointee(pointer, index);
                var address = ctx.MkBVAdd(value.Term, ctx.MkBVMul(position.Term, ctx.MkBV(size, 64)));
                return typeId is { } id ? ReadTyped(pointer.Region, address, id, name, frame, index) : ReadInteger(pointer.Region, address, size, signed, name, frame);
            }

            default:
                throw Unsupported($"indexing '{BpftracePrinter.Print(index.Target)}'", index.Span);
        }
    }

    private SymValue Dereference(UnaryExpression unary, SymValue operand, Frame frame)
    {
        if (operand is not IntValue { Pointer: { } pointer } value)
        {
            throw Unsupported($"dereferencing '{BpftracePrinter.Print(unary.Operand)}', which is not a typed pointer", unary.Span);
        }

        var (size, signed, typeId) = Pointee(pointer, unary);
        var name = BpftracePrinter.Print(unary);
        return typeId is { } id ? ReadTyped(pointer.Region, value.Term, id, name, frame, unary) : ReadInteger(pointer.Region, value.Term, size, signed, name, frame);
    }

    /// <summary>Size, signedness and BTF type of what a pointer points at.</summary>
    private (int Size, bool Signed, int? TypeId) Pointee(PointerInfo pointer, Expression node)
    {
        if (pointer.Target is { } id && Btf is not null)
        {
            var resolved = Btf.Resolve(id);
            var size = (int)Btf.SizeOf(id);
            if (size <= 0)
            {
                throw Unsupported($"reading through a pointer to {pointer.Display} (unknown size)", node.Span);
            }

            return resolved is BtfInt or BtfEnum ? (size, IntegerShape(resolved).Signed, id) : (size, false, id);
        }

        var name = pointer.Display.Replace("const ", string.Empty, StringComparison.Ordinal).Trim();
        if (BpftraceVocabulary.IntegerTypes.Contains(name) && name != "bool")
        {
            var bits = int.Parse(name.AsSpan(name.StartsWith('u') ? 4 : 3), System.Globalization.CultureInfo.InvariantCulture);
            return (bits / 8, !name.StartsWith('u'), null);
        }

        return name switch
        {
            "char" or "unsigned char" or "u8" or "__u8" => (1, name == "char", null),
            _ => throw Unsupported($"reading through a pointer to '{pointer.Display}'", node.Span),
        };
    }
}
