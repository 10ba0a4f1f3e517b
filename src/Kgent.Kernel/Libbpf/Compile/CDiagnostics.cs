using Kgent.Kernel.Bpftrace.Diagnostics;

namespace Kgent.Kernel.Libbpf.Compile;

/// <summary>The diagnostics of libbpf C programs (KG80xx): clang's own, and Kgent's checks of the compiled object against
/// the kernel catalog and the safety policy.</summary>
public static class CDiagnostics
{
    public static readonly DiagnosticDescriptor ClangError = DiagnosticDescriptor.Error("KG8001", "clang rejected the program");
    public static readonly DiagnosticDescriptor ClangWarning = DiagnosticDescriptor.Warning("KG8002", "clang warns about the program");
    public static readonly DiagnosticDescriptor UnknownSection = DiagnosticDescriptor.Error("KG8003", "the section is not a program type libbpf knows");
    public static readonly DiagnosticDescriptor UnknownHook = DiagnosticDescriptor.Error("KG8004", "the section names a hook this kernel does not have");
    public static readonly DiagnosticDescriptor CannotAttach = DiagnosticDescriptor.Error("KG8005", "this kernel cannot attach the section's probe type");
    public static readonly DiagnosticDescriptor ContextMismatch = DiagnosticDescriptor.Error("KG8006", "the context struct does not match the tracepoint");
    public static readonly DiagnosticDescriptor NoPrograms = DiagnosticDescriptor.Error("KG8007", "the object has no programs");
    public static readonly DiagnosticDescriptor License = DiagnosticDescriptor.Error("KG8008", "the program's license does not allow the helpers it calls");
    public static readonly DiagnosticDescriptor UnsafeHelper = DiagnosticDescriptor.Error("KG8009", "refused by Kgent's safety policy");
    public static readonly DiagnosticDescriptor ToolMissing = DiagnosticDescriptor.Error("KG8010", "the C toolchain is missing");
    public static readonly DiagnosticDescriptor Unchecked = DiagnosticDescriptor.Warning("KG8011", "Kgent cannot check this section's hook");
    public static readonly DiagnosticDescriptor NotModelled = DiagnosticDescriptor.Warning("KG8013", "Kgent's symbolic verifier does not model this C construct");
    public static readonly DiagnosticDescriptor IncludeRefused = DiagnosticDescriptor.Error("KG8012", "refused by Kgent's safety policy: an #include that could read any file");
}
