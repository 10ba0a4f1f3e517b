using System.Collections.Immutable;
using System.Globalization;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Contracts;

/// <summary>Reads <c>datasets/contracts/*.yaml</c>. Each file has an optional <c>constants:</c> mapping and a
/// <c>contracts:</c> list whose entries name one hook (<c>function:</c> or <c>tracepoint:</c>) with <c>summary</c>,
/// <c>pre</c>, <c>post</c> and <c>notes</c>. Every problem is reported with its file, line and column; a broken entry is
/// skipped, the rest still load.</summary>
public static class ContractLoader
{
    private const string Prefix = "BEGIN { assume(";
    private static readonly HashSet<string> EntryKeys = ["function", "tracepoint", "summary", "pre", "post", "notes"];

    /// <summary>Loads every <c>*.yaml</c> file of a directory (or one file).</summary>
    public static ContractLoadResult Load(string path)
    {
        var files = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.yaml").Concat(Directory.GetFiles(path, "*.yml")).Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : [];
        if (files.Length == 0)
        {
            var problem = new ContractProblem(new ContractLocation(path, 1, 1), "KG5000",
                Directory.Exists(path) ? $"no contract files (*.yaml) in {path}" : $"{path} does not exist",
                "the project's contracts are in datasets/contracts/");
            return new ContractLoadResult(ContractSet.Empty, [problem]);
        }

        return LoadTexts(files.Select(f => (f, File.ReadAllText(f))));
    }

    /// <summary>Loads contract files given as (name, text) pairs.</summary>
    public static ContractLoadResult LoadTexts(IEnumerable<(string Name, string Text)> files)
    {
        var problems = new List<ContractProblem>();
        var contracts = new List<HookContract>();
        var constants = new Dictionary<string, long>(StringComparer.Ordinal);
        var seen = new Dictionary<(HookKind, string), ContractLocation>();
        foreach (var (name, text) in files)
        {
            var reader = new FileReader(name, problems);
            foreach (var contract in reader.Read(text, constants))
            {
                if (seen.TryGetValue((contract.Kind, contract.Name), out var first))
                {
                    problems.Add(new ContractProblem(contract.Location, "KG5004",
                        $"second contract for {contract.Title} (the first is at {first})", "merge the two entries into one"));
                    continue;
                }

                seen[(contract.Kind, contract.Name)] = contract.Location;
                contracts.Add(contract);
            }
        }

        return new ContractLoadResult(new ContractSet(contracts, constants), [.. problems]);
    }

    /// <summary>Parses one contract expression; null (and a problem) when it is not a valid annotation expression.</summary>
    internal static Expression? ParseExpression(string text, ContractLocation location, List<ContractProblem> problems)
    {
        var wrapped = Prefix + text + "); }";
        var parse = BpftraceParser.Parse(wrapped, location.File);
        var error = parse.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        var condition = parse.Program.Probes.FirstOrDefault()?.Body.Statements.FirstOrDefault() is AnnotationStatement annotation
            ? annotation.Condition
            : null;
        if (error is not null || condition is null || parse.Program.Probes.Count() != 1 || parse.Program.Probes.First().Body.Statements.Length != 1)
        {
            var column = error is null ? location.Column : location.Column + Math.Max(0, error.Span.Start - Prefix.Length);
            problems.Add(new ContractProblem(location with { Column = column }, "KG5003",
                $"'{text}' is not a valid contract expression" + (error is null ? string.Empty : $": {error.Message}"),
                error?.Hint ?? "write one bpftrace expression, e.g. sk != 0 or args->dport > 0"));
            return null;
        }

        return condition;
    }

    private sealed class FileReader(string file, List<ContractProblem> problems)
    {
        public IEnumerable<HookContract> Read(string text, Dictionary<string, long> constants)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                Report(e.Start, "KG5001", $"not valid YAML: {Clean(e)}", "check the indentation and quoting around this line");
                return [];
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                problems.Add(new ContractProblem(new ContractLocation(file, 1, 1), "KG5002",
                    "a contract file is a mapping with 'contracts:' (and optionally 'constants:')"));
                return [];
            }

            var result = new List<HookContract>();
            foreach (var (keyNode, value) in root.Children)
            {
                var key = ((keyNode as YamlScalarNode)?.Value) ?? string.Empty;
                switch (key)
                {
                    case "constants":
                        ReadConstants(value, constants);
                        break;
                    case "contracts":
                        if (value is YamlSequenceNode entries)
                        {
                            foreach (var entry in entries)
                            {
                                if (ReadEntry(entry) is { } contract)
                                {
                                    result.Add(contract);
                                }
                            }
                        }
                        else
                        {
                            Report(value.Start, "KG5002", "'contracts' must be a list of entries, each starting with '- function:' or '- tracepoint:'");
                        }

                        break;
                    default:
                        Report(keyNode.Start, "KG5002", $"unknown top-level key '{key}'", DidYouMean(key, ["constants", "contracts"]));
                        break;
                }
            }

            return result;
        }

        private void ReadConstants(YamlNode node, Dictionary<string, long> constants)
        {
            if (node is not YamlMappingNode mapping)
            {
                Report(node.Start, "KG5002", "'constants' must map names to integers, e.g. AF_INET: 2");
                return;
            }

            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                var text = (valueNode as YamlScalarNode)?.Value ?? string.Empty;
                if (!TryParseInteger(text, out var value))
                {
                    Report(valueNode.Start, "KG5005", $"constant '{name}' must be an integer, not '{text}'", "write it in decimal or 0x hex");
                    continue;
                }

                if (constants.TryGetValue(name, out var existing) && existing != value)
                {
                    Report(keyNode.Start, "KG5005", $"constant '{name}' is defined twice with different values ({existing} and {value})");
                    continue;
                }

                constants[name] = value;
            }
        }

        private HookContract? ReadEntry(YamlNode node)
        {
            if (node is not YamlMappingNode entry)
            {
                Report(node.Start, "KG5002", "a contract entry is a mapping starting with 'function:' or 'tracepoint:'");
                return null;
            }

            string? function = null, tracepoint = null, summary = null;
            var pre = ImmutableArray<ContractClause>.Empty;
            var post = ImmutableArray<ContractClause>.Empty;
            var notes = ImmutableArray<ContractNote>.Empty;
            var ok = true;
            foreach (var (keyNode, value) in entry.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                switch (key)
                {
                    case "function":
                        function = Scalar(value);
                        break;
                    case "tracepoint":
                        tracepoint = Scalar(value);
                        break;
                    case "summary":
                        summary = Scalar(value);
                        break;
                    case "pre":
                        pre = Clauses(value, ref ok);
                        break;
                    case "post":
                        post = Clauses(value, ref ok);
                        break;
                    case "notes":
                        notes = Notes(value);
                        break;
                    default:
                        Report(keyNode.Start, "KG5002", $"unknown key '{key}' in a contract entry", DidYouMean(key, EntryKeys));
                        break;
                }
            }

            var location = Location(entry.Start);
            if ((function is null) == (tracepoint is null))
            {
                problems.Add(new ContractProblem(location, "KG5002", "each contract entry names exactly one hook: 'function: NAME' or 'tracepoint: CATEGORY:EVENT'"));
                return null;
            }

            if (tracepoint is not null && tracepoint.Split(':').Length != 2)
            {
                problems.Add(new ContractProblem(location, "KG5002", $"tracepoint '{tracepoint}' must be written CATEGORY:EVENT, e.g. sched:sched_switch"));
                return null;
            }

            if (tracepoint is not null && post.Length > 0)
            {
                problems.Add(new ContractProblem(post[0].Location, "KG5006", $"tracepoint {tracepoint} has no return value: 'post' applies to function hooks only",
                    "move the condition to 'pre'"));
                return null;
            }

            if (string.IsNullOrWhiteSpace(summary))
            {
                problems.Add(new ContractProblem(location, "KG5002", $"the contract for {function ?? tracepoint} needs a 'summary' (one sentence: when the hook fires)"));
            }

            return ok
                ? new HookContract(function is not null ? HookKind.Function : HookKind.Tracepoint, function ?? tracepoint!, summary ?? string.Empty, pre, post, notes, location)
                : null;
        }

        private ImmutableArray<ContractClause> Clauses(YamlNode node, ref bool ok)
        {
            if (node is not YamlSequenceNode sequence)
            {
                Report(node.Start, "KG5002", "'pre' and 'post' are lists of conditions, one per line starting with '- '");
                ok = false;
                return [];
            }

            var clauses = ImmutableArray.CreateBuilder<ContractClause>();
            foreach (var item in sequence)
            {
                var text = Scalar(item);
                var location = Location(item.Start);
                if (text is null)
                {
                    Report(item.Start, "KG5002", "a condition must be a single line of text");
                    ok = false;
                    continue;
                }

                var expression = ParseExpression(text, location, problems);
                if (expression is null)
                {
                    ok = false;
                    continue;
                }

                clauses.Add(new ContractClause(text, expression, location));
            }

            return clauses.ToImmutable();
        }

        private ImmutableArray<ContractNote> Notes(YamlNode node)
        {
            if (node is not YamlMappingNode mapping)
            {
                Report(node.Start, "KG5002", "'notes' maps an expression to a sentence, e.g. args->dport: destination port, host byte order");
                return [];
            }

            var notes = ImmutableArray.CreateBuilder<ContractNote>();
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var subject = Scalar(keyNode) ?? string.Empty;
                var text = Scalar(valueNode);
                if (text is null)
                {
                    Report(valueNode.Start, "KG5002", $"the note for '{subject}' must be text");
                    continue;
                }

                var location = Location(keyNode.Start);
                if (ParseExpression(subject, location, problems) is not null)
                {
                    notes.Add(new ContractNote(subject, text, location));
                }
            }

            return notes.ToImmutable();
        }

        private static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value?.Trim();

        private ContractLocation Location(Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

        private void Report(Mark mark, string code, string message, string? hint = null) =>
            problems.Add(new ContractProblem(Location(mark), code, message, hint));

        private static string? DidYouMean(string word, IEnumerable<string> candidates) =>
            Suggestions.Closest(word, candidates) is { } closest ? $"did you mean '{closest}'?" : null;

        private static string Clean(YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            var paren = message.IndexOf("): ", StringComparison.Ordinal);
            return paren >= 0 && message.StartsWith('(') ? message[(paren + 3)..] : message;
        }
    }

    internal static bool TryParseInteger(string text, out long value)
    {
        text = text.Trim();
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        bool ok;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            ok = long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else
        {
            ok = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        if (negative)
        {
            value = -value;
        }

        return ok;
    }
}

/// <summary>The contracts that loaded and every problem found on the way.</summary>
public sealed record ContractLoadResult(ContractSet Contracts, ImmutableArray<ContractProblem> Problems)
{
    public bool HasProblems => !Problems.IsEmpty;
}
