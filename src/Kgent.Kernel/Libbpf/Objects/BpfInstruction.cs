namespace Kgent.Kernel.Libbpf.Objects;

/// <summary>One eBPF instruction as it sits in the object: opcode, registers, offset, immediate (the second half of a
/// 16-byte <c>ld_imm64</c> is its own slot, as in the kernel's numbering).</summary>
public readonly record struct BpfInstruction(int Index, byte Opcode, byte Destination, byte Source, short Offset, int Immediate)
{
    /// <summary><c>call</c> of a helper function (<c>BPF_JMP | BPF_CALL</c>, source register 0): <see cref="Immediate"/> is the helper's number.</summary>
    public bool IsHelperCall => Opcode == 0x85 && Source == 0;
}
