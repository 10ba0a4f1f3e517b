using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Kgent.Kernel.Tests.Support;

/// <summary>Runs a newer bpftrace release's own parser on one of its tools: <c>bpftrace --dry-run -d ast</c> in the
/// release's chroot prints the AST after its parse pass (0.23: an indented tree on stdout, as 0.17 prints; 0.27: the
/// program printed back as source, on stderr), then attaches and exits.</summary>
public static partial class ReleaseOracle
{
    public sealed record Outcome(IReadOnlyList<string>? Tree, string? Reprinted, string Output);

    /// <summary>The tools the release installs in its /usr/sbin, by file name.</summary>
    public static IEnumerable<object[]> Tools(string suite)
    {
        var directory = Path.Combine(BpftraceTrees.Tree(suite), "usr", "sbin");
        var tools = System.IO.Directory.Exists(directory)
            ? System.IO.Directory.GetFiles(directory, "*.bt").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()
            : [];
        return tools.Length > 0 ? tools.Select(t => new object[] { t! }) : [["<no tree>"]];
    }

    public static string ToolPath(string suite, string tool) => Path.Combine(BpftraceTrees.Tree(suite), "usr", "sbin", tool);

    public static Outcome Parse(string suite, string tool) => Run(suite, "/usr/sbin/" + tool);

    /// <summary>The release's parse of a program given as text (written inside the tree, where its bpftrace can read it).</summary>
    public static Outcome ParseText(string suite, string program)
    {
        var name = $"kgent-oracle-{Guid.NewGuid():N}.bt";
        var path = Path.Combine(BpftraceTrees.Tree(suite), "tmp", name);
        File.WriteAllText(path, program + "\n");
        try
        {
            return Run(suite, "/tmp/" + name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Outcome Run(string suite, string pathInTree)
    {
        var start = new ProcessStartInfo("timeout", ["60", "chroot", BpftraceTrees.Tree(suite), "bpftrace", "--dry-run", "-d", "ast", pathInTree])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var output = stdoutTask.Result + stderrTask.Result;
        var lines = output.Split('\n');
        var tree = ReadTree(lines);
        var reprinted = ReadReprint(lines);
        return new Outcome(tree, reprinted, output);
    }

    /// <summary>0.23's tree: from "Program" after "AST after: parser" to the first empty line, types stripped.</summary>
    private static List<string>? ReadTree(string[] lines)
    {
        var header = Array.IndexOf(lines, "AST after: parser");
        var program = header < 0 ? -1 : Array.IndexOf(lines, "Program", header);
        if (program < 0)
        {
            return null;
        }

        var tree = new List<string>();
        for (var i = program; i < lines.Length && lines[i].Length > 0; i++)
        {
            tree.Add(TypeSuffix().Replace(lines[i], string.Empty));
        }

        return tree;
    }

    /// <summary>0.27's reprint: the text between "AST after: parse" (and its rule) and the next "AST after:".</summary>
    private static string? ReadReprint(string[] lines)
    {
        var header = Array.IndexOf(lines, "AST after: parse");
        if (header < 0)
        {
            return null;
        }

        var end = Array.FindIndex(lines, header + 1, l => l.StartsWith("AST after:", StringComparison.Ordinal));
        var body = lines[(header + 2)..(end < 0 ? lines.Length : end)];
        return string.Join('\n', body);
    }

    [GeneratedRegex(@" :: (type)?\[.*\]$")]
    private static partial Regex TypeSuffix();
}
