using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Examples;

/// <summary>Kgent's libbpf C examples (datasets/libbpf-examples: an <c>examples:</c> list of <c>id</c>, <c>request</c>,
/// <c>program</c>), stored with language <see cref="Example.C"/> so the C loop retrieves them and the bpftrace loop never
/// does.</summary>
public static class LibbpfExamples
{
    public const string Source = "dataset:libbpf-examples";

    public static string? Locate() => Contracts.ContractLocator.FindDataset("libbpf-examples") is { } folder && File.Exists(Path.Combine(folder, "examples.yaml")) ? folder : null;

    /// <summary>The examples of the folder's <c>examples.yaml</c>, or the problems that make it unusable.</summary>
    public static (IReadOnlyList<(string Id, Example Example)> Examples, IReadOnlyList<string> Problems) Load(string folder)
    {
        var file = Path.Combine(folder, "examples.yaml");
        var examples = new List<(string, Example)>();
        var problems = new List<string>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(file)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            return ([], [$"{file}: {e.Message}"]);
        }

        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("examples"), out var list) || list is not YamlSequenceNode entries)
        {
            return ([], [$"{file}:1:1: a libbpf examples file is a mapping with an 'examples:' list"]);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in entries)
        {
            string? Get(string key) => node is YamlMappingNode entry && entry.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
            var (id, request, program) = (Get("id"), Get("request"), Get("program"));
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(request) || string.IsNullOrWhiteSpace(program))
            {
                problems.Add($"{file}:{node.Start.Line}:{node.Start.Column}: an example needs id, request and program");
                continue;
            }

            if (!ids.Add(id))
            {
                problems.Add($"{file}:{node.Start.Line}:{node.Start.Column}: example id '{id}' is used twice");
                continue;
            }

            examples.Add((id, Example.New(request.Trim(), program, $"{Source}/{id}") with { Language = Example.C }));
        }

        return (examples, problems);
    }

    /// <summary>Adds the C examples to a store that has none; returns how many were added (0 when it had some or none were found).</summary>
    public static int SeedIfMissing(ExampleStore store)
    {
        if (store.CountOf(Example.C) > 0 || Locate() is not { } folder)
        {
            return 0;
        }

        return store.AddRange(Load(folder).Examples.Select(e => e.Example)).Count;
    }
}
