using System.Text.RegularExpressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>Maps bpftrace's error output (0.17's formats recorded in shared/notes/bpftrace-on-this-host.md; 0.23's and
/// 0.27's where they differ, measured: "Error loading BPF program for …", "Kernel error log:", "No matches for kprobe …")
/// to a stage, a message and a source position. Positions look like <c>FILE:LINE:COL1-COL2: ERROR: msg</c> or <c>FILE:L1-L2: ERROR</c>.</summary>
internal static partial class StderrClassifier
{
    public static (LoadStage Stage, string Message, LinePosition? Position, int? Length) Classify(IReadOnlyList<string> stderr, int exitCode)
    {
        var lines = stderr.Where(l => l.Length > 0).ToList();
        var error = lines.FirstOrDefault(l => l.Contains("ERROR:", StringComparison.Ordinal) || l.Contains("error:", StringComparison.Ordinal))
            ?? lines.FirstOrDefault() ?? $"bpftrace exited with code {exitCode}";
        var (position, length) = Position(error);
        var message = Message(error);

        if (lines.Any(l => l.Contains("only supports running as the root user", StringComparison.Ordinal)
            || l.Contains("failed to open file", StringComparison.Ordinal) && l.Contains("Permission denied", StringComparison.Ordinal)
            || l.Contains("Operation not permitted", StringComparison.Ordinal) && (l.Contains("failed to create map", StringComparison.Ordinal) || l.Contains("Creation of the required BPF maps", StringComparison.Ordinal))))
        {
            return (LoadStage.Permission, message, position, length);
        }

        if (lines.Any(l => l.Contains("Error loading program", StringComparison.Ordinal) || l.Contains("Failed to load program", StringComparison.Ordinal)
            || l.Contains("Error loading BPF program", StringComparison.Ordinal)))
        {
            return (LoadStage.KernelVerifier, lines.First(l => l.Contains("load", StringComparison.OrdinalIgnoreCase) && l.Contains("ERROR", StringComparison.Ordinal)) is var e ? Message(e) : message, position, length);
        }

        // 0.27 finds no kprobe target where 0.17 failed to attach it: the same stage.
        if (lines.Any(l => l.Contains("Error attaching probe", StringComparison.Ordinal) || l.Contains("No probes to attach", StringComparison.Ordinal)
            || l.Contains("No matches for kprobe", StringComparison.Ordinal) || l.Contains("No matches for kretprobe", StringComparison.Ordinal)
            || l.Contains("could not attach probe", StringComparison.Ordinal) || l.Contains("uprobe target file", StringComparison.Ordinal)))
        {
            var attach = lines.FirstOrDefault(l => l.Contains("Error attaching probe", StringComparison.Ordinal) || l.Contains("could not attach probe", StringComparison.Ordinal)
                || l.Contains("No matches for k", StringComparison.Ordinal)
                || l.Contains("uprobe target file", StringComparison.Ordinal)) ?? error;
            var (attachPosition, attachLength) = Position(attach);
            return (LoadStage.Attach, Message(attach), attachPosition ?? position, attachLength ?? length);
        }

        if (error.Contains("syntax error", StringComparison.Ordinal) || error.Contains("unterminated", StringComparison.Ordinal))
        {
            return (LoadStage.Parse, message, position, length);
        }

        if (error.Contains("fatal error:", StringComparison.Ordinal) || error.StartsWith("error: <unknown>", StringComparison.Ordinal)
            || error.Contains("Failed to compile", StringComparison.Ordinal) || error.Contains("BPF stack limit", StringComparison.Ordinal)
            || lines.Any(l => l.Contains("definitions.h", StringComparison.Ordinal)))
        {
            return (LoadStage.Codegen, message, position, length);
        }

        return (LoadStage.Semantic, message, position, length);
    }

    /// <summary><c>e.bt:1:53-59: ERROR: x</c> → (line 1, column 53), length 6; <c>e.bt:2-3: ERROR</c> → line 2.</summary>
    internal static (LinePosition? Position, int? Length) Position(string line)
    {
        var match = PositionPattern().Match(line);
        if (!match.Success)
        {
            return (null, null);
        }

        var first = int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (!match.Groups["col"].Success)
        {
            return (new LinePosition(first, 1), null);
        }

        var column = int.Parse(match.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var end = match.Groups["end"].Success ? int.Parse(match.Groups["end"].Value, System.Globalization.CultureInfo.InvariantCulture) : column + 1;
        return (new LinePosition(first, column), Math.Max(1, end - column));
    }

    /// <summary>The message without the position prefix and the ERROR: word.</summary>
    internal static string Message(string line)
    {
        var match = PositionPattern().Match(line);
        var text = match.Success ? line[match.Length..] : line;
        text = text.Trim();
        foreach (var prefix in new[] { "ERROR:", "error:", "fatal error:", "WARNING:" })
        {
            var at = text.IndexOf(prefix, StringComparison.Ordinal);
            if (at >= 0 && at < 40)
            {
                text = text[(at + prefix.Length)..].Trim();
                break;
            }
        }

        return text.Length == 0 ? line.Trim() : text;
    }

    [GeneratedRegex(@"^[^\s:]+:(?<line>\d+)(?::(?<col>\d+)(?:-(?<end>\d+))?|-\d+)?:\s")]
    private static partial Regex PositionPattern();
}
