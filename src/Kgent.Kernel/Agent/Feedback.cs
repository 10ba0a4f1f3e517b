using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Agent;

/// <summary>One piece of feedback for the next attempt: which stage found the problem, where (line, column and the
/// offending line as the program has it), what (with the diagnostic's code, such as KG2205), and the hint.</summary>
public sealed record Feedback(int Attempt, string Stage, string Message, int? Line = null, string? Hint = null)
{
    /// <summary>Longest offending line the prompt repeats; a longer one is clipped.</summary>
    private const int MaxSourceLine = 160;

    /// <summary>The diagnostic's code (KG2205, KG4101, …), when a diagnostic stands behind it.</summary>
    public string? Code { get; init; }

    /// <summary>The 1-based column on <see cref="Line"/>.</summary>
    public int? Column { get; init; }

    /// <summary>The program's line the problem is on, as written (clipped).</summary>
    public string? SourceLine { get; init; }

    /// <summary>A diagnostic as feedback: its code, message, hint and place in <paramref name="program"/>.</summary>
    public static Feedback From(int attempt, string stage, Diagnostic diagnostic, SourceText program)
    {
        var position = program.GetLinePosition(diagnostic.Span.Start);
        return new Feedback(attempt, stage, diagnostic.Message, position.Line, diagnostic.Hint)
        {
            Code = diagnostic.Code,
            Column = position.Column,
            SourceLine = LineOf(program, position.Line),
        };
    }

    /// <summary>The feedback with the program's line <paramref name="line"/> repeated (and its code, when one is given).</summary>
    public Feedback At(SourceText program, int? line, string? code = null) => this with
    {
        Line = line ?? Line,
        SourceLine = line is { } at ? LineOf(program, at) : SourceLine,
        Code = code ?? Code,
    };

    /// <summary>How the prompter writes it: <c>attempt 1, semantic check, line 3 (KG2205): … Hint: …. The line: `…`.</c></summary>
    public string ToPromptText() =>
        $"attempt {Attempt}, {Stage}{(Line is { } line ? $", line {line}" : string.Empty)}{(Code is { } code ? $" ({code})" : string.Empty)}: {Message.TrimEnd('.')}." +
        (Hint is { Length: > 0 } hint ? $" Hint: {hint.TrimEnd('.')}." : string.Empty) +
        (SourceLine is { Length: > 0 } source ? $" The line: `{source}`." : string.Empty);

    private static string? LineOf(SourceText program, int line)
    {
        if (line < 1 || line > program.LineCount)
        {
            return null;
        }

        var text = program.GetLineText(line).Trim();
        return text.Length <= MaxSourceLine ? text : text[..(MaxSourceLine - 1)] + "…";
    }
}
