using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Safety;

/// <summary>One call of an unsafe builtin: which, where in the program (the macro use when it comes through macros), the
/// macros it came through (outermost first, with where each is defined), and whether the user allowed it.</summary>
public sealed record SafetyViolation(UnsafeBuiltin Builtin, TextSpan Span, ImmutableArray<string> Via, bool Allowed)
{
    /// <summary>"cat() reads a file on the host, through the macro SNEAKY (defined at /tmp/h.h:1)".</summary>
    public string Message => $"{Builtin.Name}() {Builtin.Effect}" + (Via.IsEmpty ? string.Empty : ", through " + ViaText);

    public string ViaText => Via.Length == 1 ? $"the macro {Via[0]}" : $"the macros {string.Join(" → ", Via)}";

    public string Hint => Allowed
        ? $"allowed by --allow-unsafe {Builtin.Name}" + (Builtin.NeedsUnsafeFlag ? "; Kgent passes --unsafe to bpftrace for it" : string.Empty)
        : Builtin.Name == "system"
            ? "print the value with printf() and act on it outside the probe; or, if you mean it, --allow-unsafe system"
            : $"remove it; or, if you mean it, allow it by name: --allow-unsafe {Builtin.Name}";
}
