using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Examples;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent examples list|add|import|search [--store DB]</c>: the example store (the eBPFNL dataset). Exit 0 on
/// success, 1 when nothing matched or the input was refused, 2 when the store cannot be used.</summary>
public static class ExamplesCommand
{
    public static int List(string? store, int limit, bool json, TextWriter output, TextWriter error, ConsoleStyle style) =>
        !NumericOption.InRange(error, "--limit", limit, 1, 100_000, "examples") ? 2 : With(store, error, existing: true, examples =>
        {
            var list = examples.List(0, limit);
            if (json)
            {
                Json.Write(output, new { store = examples.Path, count = examples.Count, examples = list });
                return 0;
            }

            foreach (var example in list)
            {
                output.WriteLine($"{example.Id,5}  {Shorten(example.Request, 70),-70}  {example.Origin.Label(),-14} {style.Dim(example.Source)}");
            }

            output.WriteLine(style.Dim($"{examples.Count} examples in {examples.Path}" + (examples.Count > list.Count ? $" (first {list.Count} shown)" : string.Empty)));
            return 0;
        });

    public static int Add(string? store, string request, string path, string? source, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        if (string.IsNullOrWhiteSpace(request))
        {
            error.WriteLine("kgent: error: --request must describe what the program does");
            return 1;
        }

        var text = SourceLoader.TryLoad(path, error, out _);
        if (text is null)
        {
            return 1;
        }

        var parse = BpftraceParser.Parse(text);
        if (parse.HasErrors)
        {
            DiagnosticRenderer.Write(error, parse, style);
            error.WriteLine($"kgent: error: not adding '{path}': fix its syntax errors first");
            return 1;
        }

        if (Kgent.Kernel.Safety.SafetyPolicy.Review(parse) is { IsSafe: false } review)
        {
            DiagnosticRenderer.Write(error, [.. Kgent.Kernel.Semantics.SemanticDiagnostics.FromSafety(review)], text, style);
            error.WriteLine($"kgent: error: not adding '{path}': the example store keeps no program that calls an unsafe builtin");
            return 1;
        }

        return With(store, error, existing: false, examples =>
        {
            var added = examples.Add(Example.New(request.Trim(), text.Text, source ?? $"user:{Path.GetFullPath(path)}"));
            output.WriteLine($"example {added.Id} in {examples.Path} ({examples.Count} examples)");
            return 0;
        });
    }

    public static int Import(string? store, string path, string split, TextWriter output, TextWriter error, ConsoleStyle style) =>
        With(store, error, existing: false, examples =>
        {
            if (!Directory.Exists(path) && !File.Exists(path))
            {
                error.WriteLine($"kgent: error: {path} does not exist");
                return 1;
            }

            if (Directory.Exists(path) && File.Exists(Path.Combine(path, "examples.yaml")))
            {
                // Kgent's libbpf C examples (datasets/libbpf-examples).
                var (cExamples, cProblems) = LibbpfExamples.Load(path);
                foreach (var problem in cProblems)
                {
                    error.WriteLine(problem);
                }

                var had = examples.Count;
                var refusedC = new List<string>();
                examples.AddRange(cExamples.Select(e => e.Example), refusedC);
                Refused(refusedC, error);
                output.WriteLine($"imported {examples.Count - had} new of {cExamples.Count} libbpf C examples from {path} ({examples.Count} examples in {examples.Path}, {examples.CountOf(Example.C)} of them C)");
                return cProblems.Count > 0 || cExamples.Count == 0 ? 1 : 0;
            }

            if (EbpfnlDataset.IsDataset(path))
            {
                var (pairs, problems) = EbpfnlDataset.Load(path);
                foreach (var problem in problems)
                {
                    error.WriteLine(problem);
                }

                var chosen = pairs.Where(p => split == "all" || p.Split == split).ToList();
                var start = examples.Count;
                var refused = new List<string>();
                examples.AddRange(chosen.Select(p => p.ToExample()), refused);
                Refused(refused, error);
                output.WriteLine($"imported {examples.Count - start} new of {chosen.Count} dataset pairs ({split} split) from {path} ({examples.Count} examples in {examples.Path})");
                return problems.Count > 0 || chosen.Count == 0 ? 1 : 0;
            }

            var found = InstalledToolImporter.Read(path);
            var before = examples.Count;
            var notStored = new List<string>();
            examples.AddRange(found, notStored);
            Refused(notStored, error);
            output.WriteLine($"imported {examples.Count - before} new of {found.Count} tools with a header description from {path} ({examples.Count} examples in {examples.Path})");
            return found.Count == 0 ? 1 : 0;
        });

    public static int Search(string? store, string query, int k, bool json, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        if (!NumericOption.InRange(error, "-k", k, 1, 1000, "examples"))
        {
            return 2;
        }

        if (ExampleQuery.Terms(query).Count == 0)
        {
            error.WriteLine($"kgent: error: '{query}' has no words to search for");
            return 1;
        }

        return With(store, error, existing: true, examples =>
        {
            var matches = examples.Search(query, k);
            if (json)
            {
                Json.Write(output, new { query, terms = ExampleQuery.Terms(query), matches });
                return matches.Count == 0 ? 1 : 0;
            }

            foreach (var match in matches)
            {
                output.WriteLine($"{match.Score,7:F2}  #{match.Example.Id,-5} {Shorten(match.Example.Request, 70),-70}  {match.Example.Origin.Label(),-14} {style.Dim(match.Example.Source)}");
            }

            output.WriteLine(style.Dim($"{matches.Count} of {examples.Count} examples match {string.Join(" ", ExampleQuery.Terms(query))}"));
            return matches.Count == 0 ? 1 : 0;
        });
    }

    private static int With(string? store, TextWriter error, bool existing, Func<ExampleStore, int> action)
    {
        try
        {
            using var workbench = new Workbench(new WorkbenchOptions(Store: store) { SeedStore = false });
            return action(existing ? workbench.ExistingExamples : workbench.Examples);
        }
        catch (Exception e) when (e is ExampleStoreException or WorkbenchException)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }
    }

    private static void Refused(IEnumerable<string> refused, TextWriter error)
    {
        foreach (var line in refused)
        {
            error.WriteLine($"kgent: warning: not imported: {line}");
        }
    }

    private static string Shorten(string text, int length)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= length ? line : line[..(length - 1)] + "…";
    }
}
