using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Kernel.Agent;

/// <summary>A program as it goes through the stages: its text and its parse, made once. Every stage that reads the
/// program takes this record, so one attempt parses its candidate once.</summary>
public sealed record Candidate(ParseResult Parse)
{
    public string Text => Parse.Source.Text;

    public string Path => Parse.Source.Path;

    /// <summary>Parses a program's text into a candidate.</summary>
    public static Candidate Of(string text, string path = "candidate.bt") => new(BpftraceParser.Parse(text, path));
}
