using System.Collections.Immutable;
using System.Globalization;
using Kgent.Kernel.Bpftrace.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Evaluation;

/// <summary>A problem in an evaluation suite, in compiler form: <c>file:line:col: error KG7001: message</c>.</summary>
public sealed record EvalSuiteProblem(string File, int Line, int Column, string Code, string Message, string? Hint = null)
{
    public override string ToString() => $"{File}:{Line}:{Column}: error {Code}: {Message}" + (Hint is null ? string.Empty : $"\n  hint: {Hint}");
}

public sealed class EvalSuiteException(IReadOnlyList<EvalSuiteProblem> problems)
    : Exception(string.Join("\n", problems.Select(p => p.ToString())))
{
    public IReadOnlyList<EvalSuiteProblem> Problems { get; } = problems;
}

/// <summary>Loads an evaluation suite. YAML files hold <c>cases:</c>, each with <c>id</c>, <c>category</c>,
/// <c>request</c>, optional <c>hint</c>, <c>oracle</c> (<c>probes</c>, <c>workload</c>, <c>duration</c>, <c>checks</c>),
/// <c>reference</c> and <c>wrong</c>; see datasets/eval/README.md. Any other file is read as prompts, one per line
/// (blank lines and lines starting with # skipped). Every problem is reported, with its line (KG70xx).</summary>
public static class EvalSuiteLoader
{
    private static readonly string[] CaseKeys = ["id", "category", "request", "hint", "oracle", "reference", "wrong"];
    private static readonly string[] OracleKeys = ["probes", "workload", "duration", "checks"];
    private static readonly string[] CheckKeys = ["contains", "matches", "lines", "histogram_samples", "count"];

    public static EvalSuite Load(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.yaml").Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
            {
                throw new EvalSuiteException([new EvalSuiteProblem(path, 1, 1, "KG7001", "the folder holds no *.yaml evaluation files")]);
            }

            return Build(path, files.Select(f => (f, File.ReadAllText(f))));
        }

        if (!File.Exists(path))
        {
            throw new EvalSuiteException([new EvalSuiteProblem(path, 1, 1, "KG7001", "no such file or folder")]);
        }

        var text = File.ReadAllText(path);
        return path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            ? Build(path, [(path, text)])
            : Prompts(path, text);
    }

    public static EvalSuite Prompts(string path, string text)
    {
        var cases = text.Split('\n').Select((line, i) => (Line: line.Trim(), Number: i + 1))
            .Where(l => l.Line.Length > 0 && !l.Line.StartsWith('#'))
            .Select(l => new EvalCase($"prompt-{l.Number:D3}", "prompt", l.Line, null, null, null, null, $"{path}:{l.Number}"))
            .ToImmutableArray();
        return new EvalSuite(path, cases);
    }

    /// <summary>Gives the suite's cases their human hints from a text file, one per line in the cases' order (like the
    /// paper's test_cases_human_info.txt beside its prompts file).</summary>
    public static EvalSuite WithHints(EvalSuite suite, string hintsPath)
    {
        if (!File.Exists(hintsPath))
        {
            throw new EvalSuiteException([new EvalSuiteProblem(hintsPath, 1, 1, "KG7007", "no such hints file")]);
        }

        var hints = File.ReadAllLines(hintsPath).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        if (hints.Count != suite.Cases.Length)
        {
            throw new EvalSuiteException([new EvalSuiteProblem(hintsPath, 1, 1, "KG7007",
                $"{hints.Count} hints for {suite.Cases.Length} cases", "write one hint per line, in the order of the cases")]);
        }

        return suite with { Cases = [.. suite.Cases.Zip(hints, (c, h) => c with { Hint = h })] };
    }

    public static EvalSuite Build(string source, IEnumerable<(string File, string Text)> files)
    {
        var problems = new List<EvalSuiteProblem>();
        var cases = new List<EvalCase>();
        foreach (var (file, text) in files)
        {
            cases.AddRange(new Reader(file, problems).Read(text));
        }

        foreach (var duplicate in cases.GroupBy(c => c.Id).Where(g => g.Count() > 1))
        {
            var second = duplicate.Skip(1).First();
            var (file, line) = SplitSource(second.Source);
            problems.Add(new EvalSuiteProblem(file, line, 1, "KG7004", $"case id '{duplicate.Key}' is used more than once", "give every case its own id"));
        }

        return problems.Count > 0 ? throw new EvalSuiteException(problems) : new EvalSuite(source, [.. cases]);
    }

    private static (string File, int Line) SplitSource(string source)
    {
        var colon = source.LastIndexOf(':');
        return (source[..colon], int.Parse(source[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    private sealed class Reader(string file, List<EvalSuiteProblem> problems)
    {
        public IEnumerable<EvalCase> Read(string text)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                Report(e.Start, "KG7002", $"not valid YAML: {e.InnerException?.Message ?? e.Message}", "check the indentation and quoting around this line");
                return [];
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
                || root.Children.FirstOrDefault(c => Scalar(c.Key) == "cases").Value is not YamlSequenceNode entries)
            {
                problems.Add(new EvalSuiteProblem(file, 1, 1, "KG7002", "an evaluation file is a mapping with 'cases:', a list of cases"));
                return [];
            }

            return entries.Select(ReadCase).OfType<EvalCase>().ToList();
        }

        private EvalCase? ReadCase(YamlNode node)
        {
            if (node is not YamlMappingNode entry)
            {
                Report(node.Start, "KG7003", "a case is a mapping with id, category, request, oracle, …");
                return null;
            }

            var fields = Fields(entry, CaseKeys, "a case");
            var id = Required(entry, fields, "id");
            var request = Required(entry, fields, "request");
            var category = Required(entry, fields, "category");
            var oracle = fields.TryGetValue("oracle", out var oracleNode) ? ReadOracle(oracleNode) : null;
            if (id is null || request is null || category is null || (fields.ContainsKey("oracle") && oracle is null))
            {
                return null;
            }

            var referenceC = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", "c", id + ".bpf.c");
            return new EvalCase(id, category, request, Optional(fields, "hint"), oracle, Optional(fields, "reference"), Optional(fields, "wrong"),
                $"{file}:{entry.Start.Line}")
            {
                ReferenceC = File.Exists(referenceC) ? File.ReadAllText(referenceC) : null,
                ReferenceCPath = File.Exists(referenceC) ? referenceC : null,
            };
        }

        private Oracle? ReadOracle(YamlNode node)
        {
            if (node is not YamlMappingNode mapping)
            {
                Report(node.Start, "KG7003", "'oracle' is a mapping with probes, workload, duration and checks");
                return null;
            }

            var fields = Fields(mapping, OracleKeys, "an oracle");
            var workload = Required(mapping, fields, "workload");
            var probes = fields.TryGetValue("probes", out var p) && p is YamlSequenceNode list ? list.Select(Scalar).OfType<string>().ToImmutableArray() : [];
            if (probes.IsEmpty)
            {
                Report(mapping.Start, "KG7003", "the oracle names no acceptable probes", "probes: [tracepoint:syscalls:sys_enter_openat]");
            }

            var duration = TimeSpan.FromSeconds(2);
            if (Optional(fields, "duration") is { } text)
            {
                if (double.TryParse(text.TrimEnd('s'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 60)
                {
                    duration = TimeSpan.FromSeconds(seconds);
                }
                else
                {
                    Report(fields["duration"].Start, "KG7005", $"duration '{text}' is not a number of seconds from 0 to 60", "duration: 2s");
                }
            }

            var checks = ImmutableArray.CreateBuilder<OracleCheck>();
            if (fields.TryGetValue("checks", out var checksNode) && checksNode is YamlSequenceNode checkList)
            {
                foreach (var check in checkList)
                {
                    if (ReadCheck(check) is { } parsed)
                    {
                        checks.Add(parsed);
                    }
                }
            }

            if (checks.Count == 0 && checksNode is not YamlSequenceNode { Children.Count: > 0 })
            {
                Report(mapping.Start, "KG7003", "the oracle has no checks", "checks: [{contains: \"{pid}\"}]");
            }

            return workload is null || probes.IsEmpty || checks.Count == 0 || checks.Count != (checksNode as YamlSequenceNode)?.Children.Count ? null : new Oracle(probes, workload, duration, checks.ToImmutable());
        }

        private OracleCheck? ReadCheck(YamlNode node)
        {
            if (node is not YamlMappingNode mapping || mapping.Children.Count != 1)
            {
                Report(node.Start, "KG7006", "a check is one 'kind: value' pair", $"one of: {string.Join(", ", CheckKeys)}");
                return null;
            }

            var (keyNode, valueNode) = mapping.Children.First();
            var key = Scalar(keyNode) ?? string.Empty;
            var value = Scalar(valueNode) ?? string.Empty;
            long Number()
            {
                if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    return n;
                }

                Report(valueNode.Start, "KG7006", $"'{key}' needs a whole number, not '{value}'");
                return -1;
            }

            OracleCheck? check = key switch
            {
                "contains" => new OracleCheck.Contains(value),
                "matches" => Regex(value, valueNode.Start),
                "lines" => Number() is >= 0 and var n ? new OracleCheck.Lines((int)n) : null,
                "histogram_samples" => Number() is >= 0 and var n ? new OracleCheck.HistogramSamples(n) : null,
                "count" => Number() is >= 0 and var n ? new OracleCheck.Count(n) : null,
                _ => null,
            };
            if (check is null && !CheckKeys.Contains(key))
            {
                Report(keyNode.Start, "KG7006", $"unknown check '{key}'", Suggestions.Closest(key, CheckKeys) is { } close ? $"did you mean '{close}'?" : $"one of: {string.Join(", ", CheckKeys)}");
            }

            return check;
        }

        private OracleCheck.Matches? Regex(string pattern, Mark at)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
                return new OracleCheck.Matches(pattern);
            }
            catch (ArgumentException e)
            {
                Report(at, "KG7006", $"'{pattern}' is not a regular expression: {e.Message}");
                return null;
            }
        }

        private Dictionary<string, YamlNode> Fields(YamlMappingNode mapping, string[] known, string what)
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = Scalar(keyNode) ?? string.Empty;
                if (!known.Contains(key))
                {
                    Report(keyNode.Start, "KG7003", $"unknown key '{key}' in {what}",
                        Suggestions.Closest(key, known) is { } close ? $"did you mean '{close}'?" : $"known keys: {string.Join(", ", known)}");
                    continue;
                }

                fields[key] = value;
            }

            return fields;
        }

        private string? Required(YamlMappingNode mapping, Dictionary<string, YamlNode> fields, string key)
        {
            if (Optional(fields, key) is { Length: > 0 } value)
            {
                return value;
            }

            Report(mapping.Start, "KG7003", $"the {(mapping.Children.Any(c => Scalar(c.Key) == "id") ? $"case '{Scalar(mapping.Children.First(c => Scalar(c.Key) == "id").Value)}'" : "entry")} has no '{key}'");
            return null;
        }

        private static string? Optional(Dictionary<string, YamlNode> fields, string key) =>
            fields.TryGetValue(key, out var node) ? Scalar(node)?.Trim() : null;

        private static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;

        private void Report(Mark mark, string code, string message, string? hint = null) =>
            problems.Add(new EvalSuiteProblem(file, (int)mark.Line, (int)mark.Column, code, message, hint));
    }
}
