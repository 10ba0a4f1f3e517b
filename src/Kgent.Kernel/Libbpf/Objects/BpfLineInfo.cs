namespace Kgent.Kernel.Libbpf.Objects;

/// <summary>One BTF line-info record: the instruction (index into its program's section, in 8-byte slots) and the C
/// source position clang recorded for it (<c>-g</c>).</summary>
public sealed record BpfLineInfo(int Instruction, string File, int Line, int Column, string SourceLine);
