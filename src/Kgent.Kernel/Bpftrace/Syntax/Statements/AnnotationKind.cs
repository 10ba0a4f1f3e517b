namespace Kgent.Kernel.Bpftrace.Syntax.Statements;

public enum AnnotationKind
{
    Assume,
    Assert,
}
