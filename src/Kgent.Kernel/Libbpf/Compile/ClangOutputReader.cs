using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Libbpf.Compile;

/// <summary>Turns clang's diagnostics (<c>FILE:LINE:COL: error: MESSAGE [-Wflag]</c>, then its notes) into Kgent's: each
/// error or warning with its span in the program, its notes as the hint. A diagnostic inside a header (vmlinux.h, a libbpf
/// header) points at the program's <c>#include</c> that brought it in, and says where in the header it is.</summary>
public static partial class ClangOutputReader
{
    /// <param name="compiledFile">The full path of the file clang compiled.</param>
    public static ImmutableArray<Diagnostic> Read(string output, SourceText source, string compiledFile)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        Pending? pending = null;
        LinePosition? includedFrom = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (IncludedFrom().Match(line) is { Success: true } include && SameFile(include.Groups["file"].Value, compiledFile))
            {
                includedFrom ??= new LinePosition(Number(include.Groups["line"].Value), 1);
                continue;
            }

            if (Located().Match(line) is not { Success: true } match)
            {
                continue;
            }

            var kind = match.Groups["kind"].Value;
            var file = match.Groups["file"].Value;
            var position = new LinePosition(Number(match.Groups["line"].Value), Number(match.Groups["column"].Value));
            var message = match.Groups["message"].Value.Trim();
            var inProgram = SameFile(file, compiledFile);
            if (kind == "note")
            {
                if (pending is not null)
                {
                    pending.Notes.Add(inProgram ? message : $"{message} ({Path.GetFileName(file)}:{position.Line})");
                }

                continue;
            }

            if (pending is not null)
            {
                diagnostics.Add(pending.ToDiagnostic(source));
            }

            var at = inProgram ? position : includedFrom ?? new LinePosition(1, 1);
            var text = inProgram ? message : $"{message} (in {Path.GetFileName(file)}:{position.Line}:{position.Column})";
            pending = new Pending(kind is "error" or "fatal error" ? CDiagnostics.ClangError : CDiagnostics.ClangWarning, at, text);
            includedFrom = null;
        }

        if (pending is not null)
        {
            diagnostics.Add(pending.ToDiagnostic(source));
        }

        return diagnostics.ToImmutable();
    }

    /// <summary>clang names the program as given on its command line (relative) or resolved against its working folder.</summary>
    private static bool SameFile(string reported, string compiled) =>
        reported == compiled || (reported.Contains('/', StringComparison.Ordinal) ? reported == compiled : reported == Path.GetFileName(compiled));

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private sealed record Pending(DiagnosticDescriptor Descriptor, LinePosition Position, string Message)
    {
        public List<string> Notes { get; } = [];

        public Diagnostic ToDiagnostic(SourceText source)
        {
            var line = Math.Clamp(Position.Line, 1, Math.Max(1, source.LineCount));
            var start = source.GetOffset(new LinePosition(line, Math.Max(1, Position.Column)));
            var span = new TextSpan(Math.Min(start, source.Length), TokenLength(source.Text, Math.Min(start, source.Length)));
            var (message, flag) = SplitFlag(Message);
            var hint = Notes.Count > 0 ? string.Join("; ", Notes.Take(3)) : flag is null ? null : $"clang's {flag} warning";
            return new Diagnostic(Descriptor, span, message, hint);
        }

        private static (string Message, string? Flag) SplitFlag(string message) =>
            WarningFlag().Match(message) is { Success: true } flag ? (message[..flag.Index].TrimEnd(), flag.Groups[1].Value) : (message, null);

        private static int TokenLength(string text, int start)
        {
            var end = start;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            return Math.Max(1, Math.Min(end - start, text.Length - start));
        }
    }

    [GeneratedRegex(@"^(?<file>[^:\n]+):(?<line>\d+):(?<column>\d+): (?<kind>fatal error|error|warning|note): (?<message>.*)$")]
    private static partial Regex Located();

    [GeneratedRegex(@"^In file included from (?<file>[^:]+):(?<line>\d+):")]
    private static partial Regex IncludedFrom();

    [GeneratedRegex(@"\s\[(-W[\w\-=+]+)(,[^\]]*)?\]$")]
    private static partial Regex WarningFlag();
}
