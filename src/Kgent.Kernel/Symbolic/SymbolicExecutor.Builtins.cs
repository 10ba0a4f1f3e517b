using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Symbolic.Values;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Symbolic;

// Builtins as inputs with the ranges the kernel guarantees: pid/tid <= PID_MAX_LIMIT (4194304), cpu < NR_CPUS (at most
// 8192), comm at most 15 characters; nsecs never goes backwards within a probe; rand is new on every read.
internal sealed partial class SymbolicExecutor
{
    private const ulong PidMaxLimit = 4_194_304;
    private const ulong MaxCpus = 8_192;
    private const int CommLength = 15;

    private SymValue Builtin(BuiltinExpression builtin, Frame frame)
    {
        var name = builtin.Name;
        switch (name)
        {
            case "pid" or "tid" or "cpid":
                return Bounded(frame, name, PidMaxLimit);
            case "cpu":
                return Bounded(frame, name, MaxCpus - 1);
            case "numaid":
                return Bounded(frame, name, 1023);
            case "uid" or "gid":
                return Input(frame, name, 32, false);
            case "comm":
                return StringInput(frame, "comm", CommLength);
            case "func" or "probe":
                return StringInput(frame, name, options.StringBound);
            case "nsecs" or "elapsed":
                return Clock(frame, name);
            case "rand":
                return Input(frame, $"rand#{++freshCounter}", 32, false);
            case "cgroup" or "jiffies":
                return Input(frame, name, 64, false);
            case "curtask":
            {
                var task = Input(frame, "curtask", 64, false, pointer: new PointerInfo(Btf?.FindComposite("task_struct")?.Id, "struct task_struct", MemoryRegion.Kernel));
                frame.State = frame.State.Assume(ctx.MkNot(ctx.MkEq(task.Term, Zero)));
                return task;
            }

            case "retval":
                return Retval(frame);
            case "args":
                return ContextValue.Instance;
            case "kstack" or "ustack" or "username" or "ctx":
                return new OpaqueValue($"the {name} builtin");
        }

        if (name.StartsWith("arg", StringComparison.Ordinal) || name.StartsWith("sarg", StringComparison.Ordinal))
        {
            var signed = name[0] == 's';
            return Input(frame, name, 64, signed);
        }

        return Input(frame, name, 64, false, $"the {name} builtin is not modelled");
    }

    private IntValue Bounded(Frame frame, string name, ulong max)
    {
        var fresh = !frame.State.Inputs.Any(i => i.Name == name);
        var value = Input(frame, name, 64, false);
        if (fresh)
        {
            frame.State = frame.State.Assume(ctx.MkBVULE(value.Term, ctx.MkBV(max, 64)));
        }

        return value;
    }

    private IntValue Clock(Frame frame, string name)
    {
        // Inside an annotation the clock is the program's last reading, so an assertion about a measured time (the
        // intent check's "the value is (nsecs - @start[tid]) / 1000") speaks of the same instant the program read.
        if (frame.InAnnotation && name == "nsecs" && frame.State.LastNsecs is { } last)
        {
            return new IntValue(last, 64, false);
        }

        var reading = Input(frame, $"{name}#{++freshCounter}", 64, false);
        if (frame.State.LastNsecs is { } previous)
        {
            frame.State = frame.State.Assume(ctx.MkBVUGE(reading.Term, previous));
        }

        frame.State = frame.State with { LastNsecs = reading.Term };
        return reading;
    }

    private SymValue Retval(Frame frame)
    {
        if (run.Type == ProbeType.Kretfunc && run.Prototype is { } prototype && Btf is not null)
        {
            var type = Btf.Resolve(prototype.ReturnType);
            if (type is BtfInt or BtfEnum)
            {
                var (size, signed) = IntegerShape(type);
                return Input(frame, "retval", size * 8, signed);
            }

            if (type is BtfPointer pointer)
            {
                return Input(frame, "retval", 64, false, pointer: new PointerInfo(pointer.Target, Btf.Format(pointer.Target), MemoryRegion.Kernel));
            }
        }

        if (run.Type == ProbeType.Kretprobe && run.Prototype is { } kprototype && Btf?.Resolve(kprototype.ReturnType) is BtfPointer kpointer)
        {
            return Input(frame, "retval", 64, false, pointer: new PointerInfo(kpointer.Target, Btf.Format(kpointer.Target), MemoryRegion.Kernel));
        }

        // kretprobe: the raw 64-bit return register; bpftrace reads it as a signed 64-bit integer.
        return Input(frame, "retval", 64, true);
    }

}
