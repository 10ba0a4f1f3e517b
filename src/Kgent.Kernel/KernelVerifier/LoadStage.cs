namespace Kgent.Kernel.KernelVerifier;

/// <summary>Where a program was stopped on its way into the kernel.</summary>
public enum LoadStage
{
    /// <summary>bpftrace's parser rejected it.</summary>
    Parse,

    /// <summary>bpftrace's semantic analysis: unknown probe, field, function, type errors.</summary>
    Semantic,

    /// <summary>Code generation: clang for C definitions and headers, LLVM (stack limit), kernel symbols.</summary>
    Codegen,

    /// <summary>The kernel's eBPF verifier refused a program.</summary>
    KernelVerifier,

    /// <summary>A probe could not be attached (no kprobes on this kernel, missing uprobe target, skipped attach point).</summary>
    Attach,

    /// <summary>Not root, or missing CAP_BPF/CAP_PERFMON.</summary>
    Permission,

    /// <summary>bpftrace did not finish loading in time.</summary>
    Timeout,

    /// <summary>bpftrace is not installed.</summary>
    ToolMissing,

    /// <summary>Kgent refused to run it: an unsafe call (system, signal, override) without explicit permission.</summary>
    Policy,

    /// <summary>The user interrupted the load (Ctrl-C, SIGTERM); bpftrace was stopped.</summary>
    Interrupted,
}
