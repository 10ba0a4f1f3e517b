using System.Collections.Immutable;
using System.Globalization;
using Kgent.Kernel.Bpftrace.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Intent.Suite;

/// <summary>A problem in an intent-suite file, in compiler form: <c>file:line:col: error KG7101: message</c>.</summary>
public sealed record IntentSuiteProblem(string File, int Line, int Column, string Code, string Message, string? Hint = null)
{
    public override string ToString() => $"{File}:{Line}:{Column}: error {Code}: {Message}" + (Hint is null ? string.Empty : $"\n  hint: {Hint}");
}

public sealed class IntentSuiteException(IReadOnlyList<IntentSuiteProblem> problems)
    : Exception(string.Join("\n", problems.Select(p => p.ToString())))
{
    public IReadOnlyList<IntentSuiteProblem> Problems { get; } = problems;
}

/// <summary>Loads the intent-check suite (datasets/intent/*.yaml): each file has a <c>category</c> and <c>requests</c>,
/// each request an <c>id</c>, the <c>request</c> text and <c>programs</c>, each program an <c>id</c>, a <c>kind</c>
/// (<c>style</c> or the mistake), <c>expect</c> (<c>verified</c> or <c>refuted</c>), for a refutation the
/// <c>obligation</c> and <c>line</c>, an optional <c>disagreement</c> and the <c>program</c>. Every problem is reported
/// with its line (KG71xx).</summary>
public static class IntentSuiteLoader
{
    private static readonly string[] FileKeys = ["category", "requests"];
    private static readonly string[] RequestKeys = ["id", "request", "programs"];
    private static readonly string[] ProgramKeys = ["id", "kind", "expect", "obligation", "line", "disagreement", "program"];
    private static readonly string[] Obligations = [.. Enum.GetValues<ObligationKind>().Select(k => IntentNames.Of(k))];

    public static ImmutableArray<IntentSuiteCase> Load(string path)
    {
        string[] files = Directory.Exists(path) ? [.. Directory.GetFiles(path, "*.yaml").Order(StringComparer.Ordinal)]
            : File.Exists(path) ? [path]
            : throw new IntentSuiteException([new IntentSuiteProblem(path, 1, 1, "KG7101", "no such file or folder")]);
        if (files.Length == 0)
        {
            throw new IntentSuiteException([new IntentSuiteProblem(path, 1, 1, "KG7101", "the folder holds no *.yaml intent-suite files")]);
        }

        return Build(files.Select(f => (f, File.ReadAllText(f))));
    }

    public static ImmutableArray<IntentSuiteCase> Build(IEnumerable<(string File, string Text)> files)
    {
        var problems = new List<IntentSuiteProblem>();
        var cases = new List<IntentSuiteCase>();
        foreach (var (file, text) in files)
        {
            cases.AddRange(new Reader(file, problems).Read(text));
        }

        foreach (var duplicate in cases.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var second = duplicate.Skip(1).First().Location;
            var colon = second.LastIndexOf(':');
            problems.Add(new IntentSuiteProblem(second[..colon], int.Parse(second[(colon + 1)..], CultureInfo.InvariantCulture), 1, "KG7104",
                $"program id '{duplicate.Key}' is used more than once", "give every request (within a category) and every program (within a request) its own id"));
        }

        return problems.Count > 0 ? throw new IntentSuiteException(problems) : [.. cases];
    }

    private sealed class Reader(string file, List<IntentSuiteProblem> problems)
    {
        public IEnumerable<IntentSuiteCase> Read(string text)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                Report(e.Start, "KG7102", $"not valid YAML: {e.InnerException?.Message ?? e.Message}", "check the indentation and quoting around this line");
                return [];
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                problems.Add(new IntentSuiteProblem(file, 1, 1, "KG7102", "an intent-suite file is a mapping with 'category:' and 'requests:'"));
                return [];
            }

            var fields = Fields(root, FileKeys, "an intent-suite file");
            var category = Required(root, fields, "category");
            if (category is null || !fields.TryGetValue("requests", out var requests) || requests is not YamlSequenceNode list)
            {
                if (category is not null)
                {
                    Report(root.Start, "KG7102", "'requests:' is missing or not a list of requests");
                }

                return [];
            }

            return list.SelectMany(r => ReadRequest(category, r)).ToList();
        }

        private IEnumerable<IntentSuiteCase> ReadRequest(string category, YamlNode node)
        {
            if (node is not YamlMappingNode entry)
            {
                Report(node.Start, "KG7103", "a request is a mapping with id, request and programs");
                yield break;
            }

            var fields = Fields(entry, RequestKeys, "a request");
            var id = Required(entry, fields, "id");
            var request = Required(entry, fields, "request");
            if (!fields.TryGetValue("programs", out var programs) || programs is not YamlSequenceNode list || list.Children.Count == 0)
            {
                Report(entry.Start, "KG7103", "the request has no 'programs:' list");
                yield break;
            }

            if (id is null || request is null)
            {
                yield break;
            }

            foreach (var program in list)
            {
                if (ReadProgram(category, id, request, program) is { } suiteCase)
                {
                    yield return suiteCase;
                }
            }
        }

        private IntentSuiteCase? ReadProgram(string category, string requestId, string request, YamlNode node)
        {
            if (node is not YamlMappingNode entry)
            {
                Report(node.Start, "KG7103", "a program is a mapping with id, kind, expect and program");
                return null;
            }

            var fields = Fields(entry, ProgramKeys, "a program");
            var id = Required(entry, fields, "id");
            var kind = Required(entry, fields, "kind");
            var expectText = Required(entry, fields, "expect");
            var program = Required(entry, fields, "program");
            if (id is null || kind is null || expectText is null || program is null)
            {
                return null;
            }

            IntentVerdict expect;
            switch (expectText)
            {
                case "verified":
                    expect = IntentVerdict.Verified;
                    break;
                case "refuted":
                    expect = IntentVerdict.Refuted;
                    break;
                default:
                    Report(fields["expect"].Start, "KG7103", $"expect: '{expectText}' is not a verdict the suite states", "write verified or refuted");
                    return null;
            }

            ObligationKind? obligation = null;
            int? line = null;
            if (Optional(fields, "obligation") is { } obligationText)
            {
                var index = Array.IndexOf(Obligations, obligationText);
                if (index < 0)
                {
                    Report(fields["obligation"].Start, "KG7103", $"obligation: unknown kind '{obligationText}'" + DidYouMean(obligationText, Obligations),
                        $"the kinds are {string.Join(", ", Obligations)}");
                    return null;
                }

                obligation = Enum.GetValues<ObligationKind>()[index];
            }

            if (Optional(fields, "line") is { } lineText)
            {
                if (!int.TryParse(lineText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                {
                    Report(fields["line"].Start, "KG7103", $"line: '{lineText}' is not a line number");
                    return null;
                }

                line = number;
            }

            if (expect == IntentVerdict.Refuted && (obligation is null || line is null))
            {
                Report(entry.Start, "KG7103", $"program '{id}' expects a refutation but does not say which obligation refutes it on which line",
                    "add obligation: (hook, key, filter, …) and line: N");
                return null;
            }

            return new IntentSuiteCase($"{category}/{requestId}/{id}", category, request, kind, expect, obligation, line, Optional(fields, "disagreement"), program,
                $"{file}:{entry.Start.Line}");
        }

        private Dictionary<string, YamlNode> Fields(YamlMappingNode mapping, string[] known, string what)
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (key, value) in mapping.Children)
            {
                var name = (key as YamlScalarNode)?.Value ?? string.Empty;
                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    Report(key.Start, "KG7105", $"{what} has no field '{name}'" + DidYouMean(name, known), $"the fields are {string.Join(", ", known)}");
                    continue;
                }

                fields[name] = value;
            }

            return fields;
        }

        private string? Required(YamlMappingNode mapping, Dictionary<string, YamlNode> fields, string name)
        {
            if (Optional(fields, name) is { Length: > 0 } value)
            {
                return value;
            }

            Report(fields.TryGetValue(name, out var node) ? node.Start : mapping.Start, "KG7103", $"'{name}' is missing or empty");
            return null;
        }

        private static string? Optional(Dictionary<string, YamlNode> fields, string name) =>
            fields.TryGetValue(name, out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

        private static string DidYouMean(string text, IEnumerable<string> options) =>
            Suggestions.Closest(text, options) is { } close ? $"; did you mean '{close}'?" : string.Empty;

        private void Report(Mark at, string code, string message, string? hint = null) =>
            problems.Add(new IntentSuiteProblem(file, (int)at.Line, (int)at.Column, code, message, hint));
    }
}
