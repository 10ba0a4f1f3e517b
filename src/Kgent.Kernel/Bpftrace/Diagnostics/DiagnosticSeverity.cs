namespace Kgent.Kernel.Bpftrace.Diagnostics;

public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}
