using Kgent.Kernel.Contracts;
using Kgent.Kernel.Symbolic;

namespace Kgent.Kernel.Tests.Support;

/// <summary>The symbolic-verifier fixtures in datasets/symbolic and the project's contracts, loaded once.</summary>
public static class SymbolicCases
{
    private static readonly Lazy<ContractSet> LazyContracts = new(() =>
    {
        var loaded = ContractLoader.Load(ContractsDirectory);
        if (loaded.HasProblems)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, loaded.Problems));
        }

        return loaded.Contracts;
    });

    public static string Directory => Path.Combine(Corpus.RepositoryRoot, "datasets", "symbolic");

    public static string ContractsDirectory => Path.Combine(Corpus.RepositoryRoot, "datasets", "contracts");

    public static ContractSet Contracts => LazyContracts.Value;

    public static SymbolicOptions Options => new(Contracts);

    public static IReadOnlyList<VerdictCase> Verdicts { get; } = VerdictCase.Load(Path.Combine(Directory, "verdicts.bt.txt"));

    public static IEnumerable<object[]> VerdictNames() => Verdicts.Select(c => new object[] { c.Name });

    public static string CaseStudy(string name) => Path.Combine(Directory, "case-study", name);
}

/// <summary>One case of datasets/symbolic/verdicts.bt.txt: <c>### NAME | VERDICT [line N]</c> and a program.</summary>
public sealed record VerdictCase(string Name, VerdictKind Expected, int? Line, string Program)
{
    public static IReadOnlyList<VerdictCase> Load(string path)
    {
        var cases = new List<VerdictCase>();
        string? header = null;
        var body = new List<string>();
        foreach (var line in File.ReadAllLines(path).Append("### end"))
        {
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                if (header is not null)
                {
                    cases.Add(Parse(header, string.Join("\n", body).Trim() + "\n"));
                }

                header = line[4..];
                body.Clear();
            }
            else if (header is not null)
            {
                body.Add(line);
            }
        }

        return cases;
    }

    private static VerdictCase Parse(string header, string program)
    {
        var parts = header.Split('|', StringSplitOptions.TrimEntries);
        var words = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var expected = Enum.Parse<VerdictKind>(words[0].Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
        int? line = words.Length == 3 && words[1] == "line" ? int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture) : null;
        return new VerdictCase(parts[0], expected, line, program);
    }
}
