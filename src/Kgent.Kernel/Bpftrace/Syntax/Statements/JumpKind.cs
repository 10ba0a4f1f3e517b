namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

public enum JumpKind
{
    Return,
    Break,
    Continue,
}
