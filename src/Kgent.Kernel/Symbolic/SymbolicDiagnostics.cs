using Kgent.Kernel.Bpftrace.Diagnostics;

namespace Kgent.Kernel.Symbolic;

/// <summary>Symbolic-verifier verdicts as compiler diagnostics (KG40xx), so they render like every other stage's.</summary>
public static class SymbolicDiagnostics
{
    public static readonly DiagnosticDescriptor AssertionCanFail = DiagnosticDescriptor.Error("KG4001", "assertion can fail");
    public static readonly DiagnosticDescriptor AssertionUnknown = DiagnosticDescriptor.Warning("KG4002", "assertion not proved");
    public static readonly DiagnosticDescriptor AssertionUnsupported = DiagnosticDescriptor.Error("KG4003", "assertion uses an unmodelled construct");

    /// <summary>One diagnostic per assertion that is not Verified.</summary>
    public static IEnumerable<Diagnostic> From(SymbolicResult result) => result.Assertions.Select(From).OfType<Diagnostic>();

    public static Diagnostic? From(AssertionResult assertion) => assertion.Verdict switch
    {
        SymbolicVerdict.Counterexample c => new Diagnostic(AssertionCanFail, assertion.Span,
            $"assertion can fail in {assertion.Probe}: {c.Explanation}",
            c.Notes.IsEmpty ? null : "the contract says: " + string.Join("; ", c.Notes)),
        SymbolicVerdict.Unknown u => new Diagnostic(AssertionUnknown, assertion.Span, $"assertion not proved: {u.Reason}", UnknownHint(u.Reason)),
        SymbolicVerdict.Unsupported u => new Diagnostic(AssertionUnsupported, u.Span, $"cannot verify assert({assertion.Text}): {u.Construct}",
            "assert over integers, strings and kernel fields; keep stacks, histograms and buffers out of assertions"),
        _ => null,
    };

    private static string UnknownHint(string reason) =>
        reason.Contains("time budget", StringComparison.Ordinal) ? "give it more time with --budget SECONDS, or simplify the program"
        : reason.Contains("budget", StringComparison.Ordinal) ? "simplify the program: fewer independent ifs in one probe, or split it into probes"
        : "simplify the assertion, raise --timeout, or bound the loop";
}
