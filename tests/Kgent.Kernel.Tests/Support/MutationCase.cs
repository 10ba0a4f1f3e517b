namespace Kgent.Kernel.Tests.Support;

/// <summary>One entry of <c>Semantics/Data/mutations.bt.txt</c>: a program, the diagnostic code the checker must
/// report ("none" for a valid program), and, for a known disagreement with bpftrace, the explanation.</summary>
public sealed record MutationCase(string Name, string ExpectedCode, string Program, string? Disagreement)
{
    /// <summary>Explained disagreements with a newer release's load-only verdict, by release ("0.23", "0.27"):
    /// <c># disagree 0.27: …</c> lines.</summary>
    public IReadOnlyDictionary<string, string> ReleaseDisagreements { get; init; } = new Dictionary<string, string>();

    public static string DataPath { get; } = Path.Combine(AppContext.BaseDirectory, "Semantics", "Data", "mutations.bt.txt");

    public static IReadOnlyList<MutationCase> All { get; } = Load(DataPath);

    public static IEnumerable<object[]> Names() => All.Select(c => new object[] { c.Name });

    public static MutationCase Get(string name) => All.Single(c => c.Name == name);

    public override string ToString() => Name;

    private static List<MutationCase> Load(string path)
    {
        var cases = new List<MutationCase>();
        string? name = null, code = null, disagreement = null;
        var releases = new Dictionary<string, string>();
        var program = new List<string>();
        void Flush()
        {
            if (name is not null)
            {
                cases.Add(new MutationCase(name, code!, string.Join('\n', program).Trim() + "\n", disagreement) { ReleaseDisagreements = releases });
            }

            program.Clear();
            disagreement = null;
            releases = [];
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                Flush();
                var parts = line[4..].Split('|', StringSplitOptions.TrimEntries);
                (name, code) = (parts[0], parts[1]);
            }
            else if (line.StartsWith("# disagree:", StringComparison.Ordinal))
            {
                disagreement = line["# disagree:".Length..].Trim();
            }
            else if (line.StartsWith("# disagree ", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 11)
            {
                releases[line[11..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            else if (name is not null && !(program.Count == 0 && line.StartsWith("# ", StringComparison.Ordinal)))
            {
                program.Add(line);
            }
        }

        Flush();
        return cases;
    }
}
