namespace Kgent.Kernel.Bpftrace.Diagnostics;

/// <summary>The stable identity of one kind of diagnostic: its code (users learn these, tools filter on them),
/// its default severity and a short title.</summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title);
