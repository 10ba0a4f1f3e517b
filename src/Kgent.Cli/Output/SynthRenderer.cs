using Kgent.Kernel.Agent;
using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Output;

/// <summary>Prints a synthesis: each attempt's verdict per stage and its feedback, then the final program (or, on
/// give-up, the last candidate and all feedback).</summary>
public static class SynthRenderer
{
    public static void Write(TextWriter output, SynthesisResult result, ConsoleStyle style)
    {
        output.WriteLine(style.Bold($"request: {result.Request}") + style.Dim($"  (model: {result.Model})"));
        foreach (var attempt in result.Attempts)
        {
            var stages = string.Join(", ", attempt.Timings.Select(t => $"{t.Stage} {t.Elapsed.TotalMilliseconds:F0} ms"));
            var verdict = attempt.FailedStage is null ? style.Good("passed") : style.Error($"failed at {attempt.FailedStage}");
            output.WriteLine($"attempt {attempt.Number}: {verdict}" + style.Dim($"  ({stages})"));
            foreach (var feedback in attempt.Feedback)
            {
                output.WriteLine($"  feedback: {feedback.ToPromptText()}");
            }

            foreach (var note in attempt.Notes)
            {
                output.WriteLine(style.Dim($"  note: {note}"));
            }

            if (attempt.Intent is { } intent)
            {
                var proved = intent.Results.Count(r => r.Outcome == Kgent.Kernel.Intent.ObligationOutcome.Proved);
                output.WriteLine(style.Dim($"  intent check: {intent.Results.Length} obligation(s), {proved} proved: {intent.VerdictText}"));
                foreach (var warning in intent.Warnings)
                {
                    output.WriteLine(style.Warning($"  warning: {warning}"));
                }
            }
            else if (attempt.Symbolic is { } symbolic)
            {
                output.WriteLine(style.Dim($"  symbolic verifier: {symbolic.Assertions.Length} assertion(s), {symbolic.Overall.Display()}"));
            }
        }

        if (result.Spec is { } spec)
        {
            output.WriteLine(style.Dim(spec.IsEmpty
                ? $"specification ({spec.Producer}): nothing in the request was understood, so no candidate can be verified (see `kgent intent`)"
                : $"specification ({spec.Producer}): every candidate was checked against it (see `kgent intent`)"));
        }

        foreach (var note in result.SpecNotes)
        {
            output.WriteLine(style.Dim($"note: {note}"));
        }

        output.WriteLine();
        switch (result)
        {
            case SynthesisResult.Succeeded success:
                var after = $"after {success.Attempts.Length} attempt{(success.Attempts.Length == 1 ? string.Empty : "s")}";
                output.WriteLine(success.IsVerified
                    ? style.Good($"verified program ({after}):")
                    : style.Warning($"program, NOT verified ({success.Verdict}; {after}): it passed every enabled check, but Kgent did not prove it does what was asked:"));
                output.Write(success.Program);
                if (success.ExampleId is { } id)
                {
                    output.WriteLine(style.Dim($"(added to the example store as #{id})"));
                }

                break;
            case SynthesisResult.GaveUp gaveUp:
                output.WriteLine(style.Error($"gave up after {gaveUp.Attempts.Length} attempts; the last candidate:"));
                output.Write(gaveUp.LastCandidate ?? "(none)\n");
                break;
        }
    }
}
