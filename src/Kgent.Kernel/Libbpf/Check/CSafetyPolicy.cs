using System.Collections.Immutable;
using Kgent.Kernel.Libbpf.Objects;
using Kgent.Kernel.Safety;

namespace Kgent.Kernel.Libbpf.Check;

/// <summary>Kgent's safety policy for C programs: a program that calls <c>bpf_send_signal</c>,
/// <c>bpf_send_signal_thread</c>, <c>bpf_override_return</c> or <c>bpf_probe_write_user</c> is refused unless the user
/// allowed that helper by name (<c>--allow-unsafe bpf_send_signal</c>). The review reads the compiled object's call
/// instructions, not the source: a helper reached through a macro, a cast number or a header is found all the same.</summary>
public static class CSafetyPolicy
{
    /// <summary>Every call of an unsafe helper: the program, the instruction and the helper, and whether it is allowed.</summary>
    public static ImmutableArray<(BpfProgramSection Program, BpfInstruction Call, UnsafeHelper Helper, bool Allowed)> Review(BpfObjectFile bpfObject, SafetyAllowance? allowance = null)
    {
        allowance ??= SafetyAllowance.None;
        var found = ImmutableArray.CreateBuilder<(BpfProgramSection, BpfInstruction, UnsafeHelper, bool)>();
        foreach (var program in bpfObject.Programs)
        {
            foreach (var call in program.Instructions.Where(i => i.IsHelperCall))
            {
                if (UnsafeHelpers.All.FirstOrDefault(h => h.Number == call.Immediate) is { } helper)
                {
                    found.Add((program, call, helper, allowance.Allows(helper.Name)));
                }
            }
        }

        return found.ToImmutable();
    }
}
