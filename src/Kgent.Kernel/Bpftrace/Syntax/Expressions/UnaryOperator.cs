namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

public enum UnaryOperator
{
    Negate,
    LogicalNot,
    BitwiseNot,
    Dereference,
    PreIncrement,
    PreDecrement,
    PostIncrement,
    PostDecrement,

    /// <summary><c>&amp;x</c>, bpftrace 0.26's address-of.</summary>
    AddressOf,
}
