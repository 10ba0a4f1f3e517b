using System.Collections.Immutable;

namespace Kgent.Kernel.Libbpf.Objects;

/// <summary>One program in a compiled BPF object: its ELF section (<c>tp/syscalls/sys_enter_openat</c>), the C function
/// that is its entry, the type its first parameter points at (the context struct, from the object's BTF), its code, and
/// the BTF line info for that code.</summary>
public sealed record BpfProgramSection(string Section, string Function, string? ContextType, ImmutableArray<BpfInstruction> Instructions,
    ImmutableArray<BpfLineInfo> Lines)
{
    /// <summary>The source position of instruction <paramref name="index"/>: the last line-info record at or before it.</summary>
    public BpfLineInfo? LineOf(int index)
    {
        BpfLineInfo? found = null;
        foreach (var line in Lines)
        {
            if (line.Instruction > index)
            {
                break;
            }

            found = line;
        }

        return found;
    }
}
