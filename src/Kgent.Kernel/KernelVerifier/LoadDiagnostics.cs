using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>Kernel-verifier rejections as compiler diagnostics (KG60xx, one code per stage), and as the short structured
/// feedback the prompter puts in its next prompt.</summary>
public static class LoadDiagnostics
{
    public static readonly DiagnosticDescriptor Parse = DiagnosticDescriptor.Error("KG6001", "bpftrace could not parse the program");
    public static readonly DiagnosticDescriptor Semantic = DiagnosticDescriptor.Error("KG6002", "bpftrace rejected the program");
    public static readonly DiagnosticDescriptor Codegen = DiagnosticDescriptor.Error("KG6003", "bpftrace could not compile the program");
    public static readonly DiagnosticDescriptor KernelVerifier = DiagnosticDescriptor.Error("KG6004", "the kernel verifier rejected the program");
    public static readonly DiagnosticDescriptor Attach = DiagnosticDescriptor.Error("KG6005", "a probe could not attach");
    public static readonly DiagnosticDescriptor Permission = DiagnosticDescriptor.Error("KG6006", "not permitted to load BPF programs");
    public static readonly DiagnosticDescriptor Timeout = DiagnosticDescriptor.Error("KG6007", "loading timed out");
    public static readonly DiagnosticDescriptor ToolMissing = DiagnosticDescriptor.Error("KG6008", "bpftrace is missing");
    public static readonly DiagnosticDescriptor Policy = DiagnosticDescriptor.Error("KG6009", "refused by Kgent's safety policy");
    public static readonly DiagnosticDescriptor Interrupted = DiagnosticDescriptor.Error("KG6010", "interrupted");

    public static DiagnosticDescriptor For(LoadStage stage) => stage switch
    {
        LoadStage.Parse => Parse,
        LoadStage.Semantic => Semantic,
        LoadStage.Codegen => Codegen,
        LoadStage.KernelVerifier => KernelVerifier,
        LoadStage.Attach => Attach,
        LoadStage.Permission => Permission,
        LoadStage.Timeout => Timeout,
        LoadStage.ToolMissing => ToolMissing,
        LoadStage.Interrupted => Interrupted,
        _ => Policy,
    };

    /// <summary>The rejection as a diagnostic; rejections that point nowhere in the program sit at its start.</summary>
    public static Diagnostic ToDiagnostic(LoadVerdict.Rejected rejected)
    {
        var message = rejected.Verifier is { Instruction: { } instruction } verifier
            ? $"{rejected.Message} (instruction {instruction})"
            : rejected.Message;
        return new Diagnostic(For(rejected.Stage), rejected.Span ?? new TextSpan(0, 0), message, rejected.Hint);
    }

    /// <summary>One short paragraph for the prompter: stage, location, message and hint.</summary>
    public static string ToFeedback(LoadVerdict.Rejected rejected, SourceText source)
    {
        var where = rejected.Span is { } span ? $" at line {source.GetLinePosition(span.Start).Line}" : string.Empty;
        var text = $"Kernel verifier stage ({Stage(rejected.Stage)}){where}: {rejected.Message}.";
        if (rejected.Verifier is { } verifier)
        {
            text += $" Verifier says: {verifier.Message}" + (verifier.Instruction is null ? "." : $" at instruction {verifier.Instruction}.");
        }

        return rejected.Hint is null ? text : $"{text} Hint: {rejected.Hint}.";
    }

    public static string Stage(LoadStage stage) => stage switch
    {
        LoadStage.KernelVerifier => "kernel-verifier",
        LoadStage.ToolMissing => "tool-missing",
        _ => stage.ToString().ToLowerInvariant(),
    };
}
