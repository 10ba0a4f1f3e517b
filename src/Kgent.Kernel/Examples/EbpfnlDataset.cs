using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Examples;

/// <summary>Loads the eBPFNL dataset: YAML files with an <c>examples:</c> list of <c>id</c>, <c>split</c>,
/// <c>request</c>, <c>program</c>. Malformed entries are reported with their file and line; ids must be unique.</summary>
public static class EbpfnlDataset
{
    public static (IReadOnlyList<DatasetPair> Pairs, IReadOnlyList<string> Problems) Load(string directory)
    {
        var pairs = new List<DatasetPair>();
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0)
        {
            problems.Add($"{directory}: no *.yaml dataset files");
        }

        foreach (var file in files)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(File.ReadAllText(file)));
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                problems.Add($"{file}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}");
                continue;
            }

            if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root
                || !root.Children.TryGetValue(new YamlScalarNode("examples"), out var list) || list is not YamlSequenceNode entries)
            {
                problems.Add($"{file}:1:1: a dataset file is a mapping with an 'examples:' list");
                continue;
            }

            foreach (var node in entries)
            {
                var at = $"{file}:{node.Start.Line}:{node.Start.Column}";
                if (node is not YamlMappingNode entry)
                {
                    problems.Add($"{at}: an example is a mapping with id, split, request and program");
                    continue;
                }

                string? Get(string key) => entry.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
                var (id, split, request, program) = (Get("id"), Get("split"), Get("request"), Get("program"));
                if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(request) || string.IsNullOrWhiteSpace(program))
                {
                    problems.Add($"{at}: an example needs id, request and program");
                    continue;
                }

                if (split is not ("train" or "test"))
                {
                    problems.Add($"{at}: example {id}: split must be 'train' or 'test', not '{split}'");
                    continue;
                }

                if (!ids.Add(id))
                {
                    problems.Add($"{at}: example id '{id}' is used twice");
                    continue;
                }

                pairs.Add(new DatasetPair(id, split, request.Trim(), program, file));
            }
        }

        return (pairs, problems);
    }

    /// <summary>True when a directory holds dataset files (rather than .bt tools).</summary>
    public static bool IsDataset(string path) => Directory.Exists(path) && Directory.GetFiles(path, "*.yaml").Length > 0;

    /// <summary>The project's dataset folder: <c>datasets/ebpfnl</c> beside the contracts <see cref="Contracts.ContractLocator"/>
    /// finds; null when there is none.</summary>
    public static string? Locate() => Contracts.ContractLocator.FindDataset("ebpfnl") is { } dataset && IsDataset(dataset) ? dataset : null;

    /// <summary>Fills an empty store with the dataset's train split (so retrieval has examples); returns the folder used,
    /// or null when the store already had examples or no dataset was found.</summary>
    public static string? SeedIfEmpty(ExampleStore store)
    {
        if (store.Count > 0 || Locate() is not { } dataset)
        {
            return null;
        }

        store.AddRange(Load(dataset).Pairs.Where(p => p.Split == "train").Select(p => p.ToExample()));
        return dataset;
    }
}
