namespace Kgent.Notebook;

/// <summary>The first line of a <c>#!kgent</c> cell read as a stage and its options: <c>#!kgent run --duration 3s --workload
/// "ls /"</c> → stage <c>run</c>, <c>--duration</c> = <c>3s</c>, <c>--workload</c> = <c>ls /</c>. A second bare word is the
/// stage's argument (<c>#!kgent contract tcp_connect</c> → <c>--hook</c>). The notebook host binds options itself when the
/// cell has a body; a cell without a body never reaches the kernel as code, so the line is read here (see
/// the .NET Interactive kernel, <c>KgentKernel</c>).</summary>
public sealed record KgentDirectiveLine(string Stage, IReadOnlyDictionary<string, string> Options)
{
    public const string Magic = "#!kgent";

    /// <summary>Splits a cell into its <c>#!kgent</c> line and its body, with the cell line the body starts on (so a
    /// message about the body can name the cell's own lines); null when the cell does not start with the magic.</summary>
    public static (string Line, string Body, int BodyLine)? Split(string cell)
    {
        var text = cell.TrimStart();
        if (!text.StartsWith(Magic, StringComparison.Ordinal) || (text.Length > Magic.Length && !char.IsWhiteSpace(text[Magic.Length])))
        {
            return null;
        }

        var magicLine = 1 + cell.AsSpan(0, cell.Length - text.Length).Count('\n');
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? (text.TrimEnd(), string.Empty, magicLine + 1) : (text[..end].TrimEnd(), text[(end + 1)..], magicLine + 1);
    }

    public static KgentDirectiveLine Parse(string line)
    {
        var words = Tokenize(line.StartsWith(Magic, StringComparison.Ordinal) ? line[Magic.Length..] : line);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].StartsWith("--", StringComparison.Ordinal))
            {
                options[words[i]] = i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal) ? words[++i] : "true";
            }
            else
            {
                positional.Add(words[i]);
            }
        }

        return FromHost(options.TryGetValue("--stage", out var stage) ? stage : string.Join(' ', positional), options);
    }

    /// <summary>Normalizes options as the host bound them: quotes removed, and an implicit stage value of two words
    /// (<c>contract tcp_connect</c>) split into the stage and its argument.</summary>
    public static KgentDirectiveLine FromHost(string? stageValue, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var options = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .ToDictionary(p => p.Key, p => Unquote(p.Value.Trim()), StringComparer.Ordinal);
        var words = Tokenize(stageValue ?? string.Empty);
        var stage = words.Count > 0 ? words[0] : string.Empty;
        if (words.Count > 1 && ArgumentOption(stage) is { } option && !options.ContainsKey(option))
        {
            options[option] = string.Join(' ', words.Skip(1));
        }

        options.Remove("--stage");
        return new KgentDirectiveLine(stage, options);
    }

    public string? Get(string option) => Options.TryGetValue(option, out var value) ? value : null;

    private static string? ArgumentOption(string stage) => stage switch
    {
        "contract" => "--hook",
        _ => null,
    };

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    private static List<string> Tokenize(string text) => Kgent.Kernel.Processes.CommandWords.Split(text);
}
