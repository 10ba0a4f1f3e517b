namespace Kgent.Kernel.Bpftrace.Diagnostics;

/// <summary>The stable identity of one kind of diagnostic: its code (users learn these, tools filter on them),
/// its default severity and a short title.</summary>
public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title)
{
    public static DiagnosticDescriptor Error(string code, string title) => new(code, DiagnosticSeverity.Error, title);

    public static DiagnosticDescriptor Warning(string code, string title) => new(code, DiagnosticSeverity.Warning, title);
}
