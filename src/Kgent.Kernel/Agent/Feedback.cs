namespace Kgent.Kernel.Agent;

/// <summary>One piece of feedback for the next attempt: which stage found the problem, where, what, and the hint.</summary>
public sealed record Feedback(int Attempt, string Stage, string Message, int? Line = null, string? Hint = null)
{
    /// <summary>How the prompter writes it: <c>attempt 1, semantic check, line 3: … Hint: ….</c></summary>
    public string ToPromptText() =>
        $"attempt {Attempt}, {Stage}{(Line is { } line ? $", line {line}" : string.Empty)}: {Message.TrimEnd('.')}." +
        (Hint is { Length: > 0 } hint ? $" Hint: {hint.TrimEnd('.')}." : string.Empty);
}
