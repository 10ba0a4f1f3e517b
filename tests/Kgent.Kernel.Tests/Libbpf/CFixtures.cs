using System.Text.RegularExpressions;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>The C test programs under Libbpf/Fixtures. A rejected one marks the line it must be rejected on with
/// <c>// EXPECT STAGE "message part"</c>.</summary>
public static partial class CFixtures
{
    public static string Directory { get; } = Path.Combine(Support.Corpus.RepositoryRoot, "tests", "Kgent.Kernel.Tests", "Libbpf", "Fixtures");

    public static TheoryData<string> Rejected() => Names("rejected");

    public static TheoryData<string> Accepted() => Names("accepted");

    public static SourceText Load(string folder, string name) => SourceText.FromFile(Path.Combine(Directory, folder, name));

    /// <summary>The entry functions of the accepted fixtures.</summary>
    private static readonly Dictionary<string, string> Entries = new(StringComparer.Ordinal)
    {
        ["opens-by-comm.bpf.c"] = "count_opens",
        ["exec-events.bpf.c"] = "on_exec",
        ["switches-raw-tp.bpf.c"] = "on_switch",
        ["read-bytes-histogram.bpf.c"] = "on_read",
    };

    /// <summary>An accepted fixture with its entry function renamed to a name of this test's own (the kernel shows program
    /// names, cut to 15 characters), so a test sees only its own program in bpftool's list.</summary>
    public static SourceText Renamed(string name, out string entry)
    {
        var source = Load("accepted", name);
        var original = Entries[name];
        entry = "kgt_" + Guid.NewGuid().ToString("N")[..10];
        var text = source.Text.Replace(original + "(", entry + "(", StringComparison.Ordinal)
            .Replace("BPF_PROG(" + original + ",", "BPF_PROG(" + entry + ",", StringComparison.Ordinal);
        return new SourceText(text, source.Path);
    }

    /// <summary>The expected stage, 1-based line and message part of a rejected fixture.</summary>
    public static (string Stage, int Line, string Message) Expectation(SourceText source)
    {
        for (var line = 1; line <= source.LineCount; line++)
        {
            if (Expect().Match(source.GetLineText(line)) is { Success: true } match)
            {
                return (match.Groups[1].Value, line, match.Groups[2].Value);
            }
        }

        throw new InvalidOperationException($"{source.Path} has no // EXPECT marker");
    }

    private static TheoryData<string> Names(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Directory, folder), "*.c").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [GeneratedRegex("// EXPECT ([a-z-]+) \"([^\"]+)\"")]
    private static partial Regex Expect();
}
