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
}
