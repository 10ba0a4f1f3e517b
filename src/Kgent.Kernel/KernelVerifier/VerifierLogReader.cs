using System.Text.RegularExpressions;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>Pulls the kernel verifier's verdict out of <c>bpftrace -v</c> stderr: the message (the last line before the
/// <c>processed N insns</c> summary, e.g. <c>infinite loop detected at insn 0</c>) and the instruction it names.</summary>
internal static partial class VerifierLogReader
{
    public static VerifierRejection? Read(IReadOnlyList<string> stderr, string probe)
    {
        var start = -1;
        for (var i = 0; i < stderr.Count; i++)
        {
            // 0.17: "Error log:"; 0.23 and later: "Kernel error log:".
            if (stderr[i].StartsWith("Error log:", StringComparison.Ordinal) || stderr[i].StartsWith("Kernel error log:", StringComparison.Ordinal))
            {
                start = i + 1;
            }
        }

        var end = stderr.Count;
        for (var i = Math.Max(0, start); i < stderr.Count; i++)
        {
            if (stderr[i].StartsWith("ERROR:", StringComparison.Ordinal))
            {
                end = i;
                break;
            }
        }

        var log = (start < 0 ? stderr.Take(end) : stderr.Skip(start).Take(end - start)).Where(l => l.Length > 0).ToList();
        if (log.Count == 0)
        {
            return null;
        }

        var summary = log.FindLastIndex(l => l.StartsWith("processed ", StringComparison.Ordinal));
        var candidates = (summary > 0 ? log.Take(summary) : log).Reverse()
            .Where(l => !l.StartsWith("cur state:", StringComparison.Ordinal) && !l.StartsWith("old state:", StringComparison.Ordinal)
                && !InstructionLine().IsMatch(l) && !l.StartsWith(";", StringComparison.Ordinal) && !IsStatistics(l));
        var message = candidates.FirstOrDefault() ?? log[^1];
        int? index = InsnReference().Match(message) is { Success: true } reference
            ? int.Parse(reference.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
        var instruction = index is { } n
            ? log.FirstOrDefault(l => l.StartsWith($"{n}: (", StringComparison.Ordinal))
            : log.LastOrDefault(l => InstructionLine().IsMatch(l));
        if (index is null && instruction is not null && InstructionLine().Match(instruction) is { Success: true } last)
        {
            index = int.Parse(last.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return new VerifierRejection(probe, message.Trim(), instruction?.Trim(), index, string.Join('\n', log.TakeLast(12)));
    }

    /// <summary>Lines newer kernels print after the verdict (<c>verification time 82 usec</c>, <c>stack depth 0</c>) or before
    /// the walk (<c>func#0 @0</c>, the <c>Live regs before insn:</c> table).</summary>
    private static bool IsStatistics(string line) =>
        line.StartsWith("verification time ", StringComparison.Ordinal) || line.StartsWith("stack depth ", StringComparison.Ordinal)
        || line.StartsWith("func#", StringComparison.Ordinal) || line.StartsWith("Live regs", StringComparison.Ordinal) || line.StartsWith("  ", StringComparison.Ordinal);

    [GeneratedRegex(@"^(\d+): \([0-9a-f]{2}\)")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"insn (\d+)")]
    private static partial Regex InsnReference();
}
