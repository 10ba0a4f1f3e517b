using System.Text.RegularExpressions;
using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Kernel.Agent;

/// <summary>Pulls a bpftrace program out of a model's reply: fenced code blocks first (```bpftrace, ```bt, ```c or bare
/// ```), else the reply itself with prose lines before the first probe and after the last brace dropped. With several
/// candidates the first that parses without errors wins; otherwise the one with the fewest errors.</summary>
public static partial class CandidateExtractor
{
    public static ExtractedCandidate? Extract(string reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        var candidates = Fences().Matches(reply).Select(m => m.Groups["code"].Value).Where(c => c.Trim().Length > 0).ToList();
        if (candidates.Count == 0 && TrimProse(reply) is { } bare)
        {
            candidates.Add(bare);
        }

        var parsed = candidates
            .Select((text, index) => (Text: Normalize(text), Index: index))
            .Select(c => (c.Text, c.Index, Parse: BpftraceParser.Parse(c.Text, "candidate.bt")))
            .Where(c => c.Parse.Program.Probes.Any())
            .OrderBy(c => c.Parse.Errors.Count())
            .ThenBy(c => c.Index)
            .ToList();
        return parsed.Count == 0 ? null : new ExtractedCandidate(parsed[0].Parse, candidates.Count);
    }

    private static string Normalize(string code) => code.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n') + "\n";

    /// <summary>Drops prose before the first line that starts a probe (or a #include/#define/comment) and after the last '}'.</summary>
    private static string? TrimProse(string reply)
    {
        var lines = reply.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => ProgramStart().IsMatch(l));
        var end = Array.FindLastIndex(lines, l => l.TrimEnd().EndsWith('}'));
        return start < 0 || end < start ? null : string.Join('\n', lines[start..(end + 1)]);
    }

    [GeneratedRegex(@"```[ \t]*(?:bpftrace|bt|c|sh)?[ \t]*\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fences();

    [GeneratedRegex(@"^\s*(#!|#include|#define|/\*|//|BEGIN\b|END\b|[a-z]+:[^\s]|[a-z]+:\S)")]
    private static partial Regex ProgramStart();
}

/// <summary>The program taken from a reply (its parse, made once), how many candidates the reply held, and whether it
/// still has syntax errors.</summary>
public sealed record ExtractedCandidate(ParseResult Parse, int CandidatesInReply)
{
    public string Program => Parse.Source.Text;

    public bool HasSyntaxErrors => Parse.HasErrors;
}
