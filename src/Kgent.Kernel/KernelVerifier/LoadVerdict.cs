using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>The kernel verifier stage's result. A closed family: <see cref="Accepted"/> or <see cref="Rejected"/>.</summary>
public abstract record LoadVerdict
{
    private protected LoadVerdict()
    {
    }

    public abstract bool IsAccepted { get; }

    /// <summary>Every probe passed the kernel verifier and attached; the program was detached again at once.</summary>
    /// <param name="Probes">The attach points bpftrace attached, as written.</param>
    /// <param name="LoadTime">From starting bpftrace to "all probes attached".</param>
    public sealed record Accepted(ImmutableArray<string> Probes, TimeSpan LoadTime, ImmutableArray<string> Warnings) : LoadVerdict
    {
        public override bool IsAccepted => true;
    }

    /// <summary>The program did not get into the kernel.</summary>
    /// <param name="Message">What went wrong, in one sentence.</param>
    /// <param name="Span">The place in the program it points at, when known.</param>
    /// <param name="Hint">What to do about it.</param>
    /// <param name="RawLog">bpftrace's stderr (without the RLIMIT line every run prints).</param>
    /// <param name="Verifier">For kernel-verifier rejections: the verifier's own message and the instruction it names.</param>
    public sealed record Rejected(
        LoadStage Stage,
        string Message,
        TextSpan? Span,
        string? Hint,
        string RawLog,
        VerifierRejection? Verifier = null,
        int? ExitCode = null) : LoadVerdict
    {
        public override bool IsAccepted => false;
    }
}

/// <summary>What the kernel's verifier said: its final message (e.g. <c>infinite loop detected at insn 0</c>), the
/// instruction it points at (<c>0: (05) goto pc-1</c>) and the log's tail.</summary>
public sealed record VerifierRejection(string Probe, string Message, string? Instruction, int? InstructionIndex, string LogTail);
