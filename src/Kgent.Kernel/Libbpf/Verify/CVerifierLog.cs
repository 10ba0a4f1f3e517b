using System.Globalization;
using System.Text.RegularExpressions;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Objects;

namespace Kgent.Kernel.Libbpf.Verify;

/// <summary>Reads what libbpf printed while loading: which program failed, the kernel verifier's log between
/// <c>-- BEGIN PROG LOAD LOG --</c> and <c>-- END PROG LOAD LOG --</c>, and the C line of the rejected instruction.
/// The line comes from BTF line info: the kernel prints it into the log (<c>; return p[0]; @ bad.bpf.c:8</c>, the last such
/// comment before the instruction), and the object's own <c>.BTF.ext</c> answers when the log has none.</summary>
public static partial class CVerifierLog
{
    /// <summary>The program libbpf says failed to load (<c>prog 'handle': BPF program load failed: Permission denied</c>).</summary>
    public static string? FailedProgram(IReadOnlyList<string> lines) =>
        lines.Select(l => LoadFailed().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    /// <summary>A verifier log as lines. The kernel sometimes ends the verdict line without a newline before its
    /// <c>processed N insns</c> summary; the two are split. A log whose start was dropped (it did not fit) begins at its
    /// first whole line.</summary>
    public static IReadOnlyList<string> Split(string log)
    {
        var lines = log.Split('\n').Where(l => l.Length > 0).SelectMany(l => GluedSummary().Split(l)).ToList();
        return lines;
    }

    /// <summary>The C line the verifier rejected: the object's BTF line info for the rejected instruction (the kernel numbers
    /// the main program's instructions as the object does; subprograms come after it), else the line-info comment the kernel
    /// printed last before that instruction (or before the log's last instruction).</summary>
    public static (int Line, string? Text)? RejectedLine(IReadOnlyList<string> log, VerifierRejection? rejection, BpfProgramSection? program, string compiledFile)
    {
        var index = rejection?.InstructionIndex;
        if (index is { } n && program is not null && n < program.Instructions.Length && program.LineOf(n) is { Line: > 0 } info && SameFile(info.File, compiledFile))
        {
            return (info.Line, info.SourceLine);
        }

        var last = -1;
        for (var i = log.Count - 1; i >= 0; i--)
        {
            if (Instruction().Match(log[i]) is { Success: true } match
                && (index is null || int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) == index))
            {
                last = i;
                break;
            }
        }

        for (var i = (last < 0 ? log.Count : last) - 1; i >= 0; i--)
        {
            if (SourceComment().Match(log[i]) is { Success: true } comment && SameFile(comment.Groups[2].Value, compiledFile)
                && int.Parse(comment.Groups[3].Value, CultureInfo.InvariantCulture) is > 0 and var line)
            {
                return (line, comment.Groups[1].Value);
            }
        }

        return null;
    }

    private static bool SameFile(string named, string compiled) => Path.GetFileName(named) == Path.GetFileName(compiled);

    [GeneratedRegex(@"(?<=\S)(?=processed \d+ insns \(limit)")]
    private static partial Regex GluedSummary();

    [GeneratedRegex(@"prog '([^']+)': BPF program load failed: (.*)$")]
    private static partial Regex LoadFailed();

    [GeneratedRegex(@"^(\d+): \([0-9a-f]{2}\)")]
    private static partial Regex Instruction();

    [GeneratedRegex(@"^; (.*) @ (\S+):(\d+)$")]
    private static partial Regex SourceComment();
}
