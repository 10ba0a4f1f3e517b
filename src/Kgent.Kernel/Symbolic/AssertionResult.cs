using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Symbolic;

/// <summary>The verdict for one <c>assert(...)</c> of the program, merged over every path and attach point that reaches it.</summary>
/// <param name="Probe">The probe's attach points as written, e.g. <c>kprobe:tcp_connect</c>.</param>
/// <param name="Text">The assertion's condition as written.</param>
public sealed record AssertionResult(string Probe, string Text, TextSpan Span, LinePosition Position, SymbolicVerdict Verdict);
