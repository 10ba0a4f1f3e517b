using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Diagnostics;

/// <summary>The one edit that fixes a diagnostic without changing what the program means: a misspelt field or probe
/// replaced by the one that exists, a missing ';' or '}' inserted, a <c>char *</c> printed with <c>%s</c> wrapped in
/// <c>str()</c>. A diagnostic carries one only when there is exactly one such edit; the synthesis loop's repair stage
/// applies it and checks the program again (<see cref="Agent.Repair.ProgramRepairer"/>).</summary>
/// <param name="Span">What is replaced (empty for an insertion).</param>
/// <param name="Replacement">The new text.</param>
/// <param name="Kind">The repair kind, for transcripts and counts: <c>did-you-mean field</c>, <c>did-you-mean probe</c>,
/// <c>missing ;</c>, <c>missing }</c>, <c>str() around char *</c>.</param>
public sealed record TextFix(TextSpan Span, string Replacement, string Kind)
{
    public const string Field = "did-you-mean field";
    public const string Probe = "did-you-mean probe";
    public const string Semicolon = "missing ;";
    public const string CloseBrace = "missing }";
    public const string Str = "str() around char *";

    /// <summary>The text with this edit applied.</summary>
    public string Apply(string text) => string.Concat(text.AsSpan(0, Span.Start), Replacement, text.AsSpan(Span.End));
}
