using System.Text;

namespace Kgent.Kernel.Examples;

/// <summary>Turns installed bpftrace tools (<c>/usr/sbin/*.bt</c>) into examples: the request is the description in the
/// tool's header comment (" * opensnoop	Trace open() syscalls."), the program is the file.</summary>
public static class InstalledToolImporter
{
    public const string DefaultDirectory = "/usr/sbin";

    /// <summary>Examples for every <c>*.bt</c> file in a directory (or the one file) whose header has a description.</summary>
    public static IReadOnlyList<Example> Read(string path)
    {
        string[] files = Directory.Exists(path) ? [.. Directory.GetFiles(path, "*.bt").Order(StringComparer.Ordinal)] : File.Exists(path) ? [path] : [];
        var examples = new List<Example>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            if (Describe(text, Path.GetFileNameWithoutExtension(file)) is { } request)
            {
                examples.Add(Example.New(request, text, $"installed:{Path.GetFullPath(file)}"));
            }
        }

        return examples;
    }

    /// <summary>The header description: the first comment line after the tool's name, plus its indented continuation
    /// lines, without the "For Linux, uses bpftrace and eBPF." boilerplate.</summary>
    public static string? Describe(string program, string name)
    {
        var lines = program.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => Comment(l) is { } c && (c.StartsWith(name + ".bt", StringComparison.Ordinal) || c.StartsWith(name, StringComparison.Ordinal)));
        if (start < 0)
        {
            return null;
        }

        var first = Comment(lines[start])!;
        var description = new StringBuilder(first[(first.StartsWith(name + ".bt", StringComparison.Ordinal) ? name.Length + 3 : name.Length)..].Trim(' ', '\t', '-'));
        for (var i = start + 1; i < lines.Count && Comment(lines[i]) is { Length: > 0 } more && IsContinuation(lines[i]); i++)
        {
            if (!more.StartsWith("For Linux", StringComparison.Ordinal))
            {
                description.Append(' ').Append(more);
            }
        }

        var result = description.ToString().Trim();
        var boilerplate = result.IndexOf(" For Linux", StringComparison.Ordinal);
        result = boilerplate > 0 ? result[..boilerplate].Trim() : result;
        return result.Length == 0 ? null : result;
    }

    private static string? Comment(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            return trimmed[2..].Trim();
        }

        return trimmed.StartsWith('*') && !trimmed.StartsWith("*/", StringComparison.Ordinal) ? trimmed[1..].Trim() : null;
    }

    private static bool IsContinuation(string line)
    {
        var afterStar = line.TrimStart().TrimStart('*', '/');
        return afterStar.StartsWith('\t') || afterStar.StartsWith("   ", StringComparison.Ordinal);
    }
}
