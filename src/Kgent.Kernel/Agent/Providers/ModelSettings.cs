using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Agent.Providers;

/// <summary>Which model Kgent talks to. From the config file (<c>KGENT_CONFIG</c>, default <c>~/.config/kgent/config.yaml</c>)
/// overridden by <c>KGENT_ENDPOINT</c>, <c>KGENT_MODEL</c>, <c>KGENT_API_KEY</c>, <c>KGENT_TIMEOUT</c>,
/// <c>KGENT_MAX_RETRIES</c> and <c>KGENT_EMBEDDING_MODEL</c>. No endpoint means the offline retrieval model. The key is only ever shown masked,
/// is scrubbed from every text Kgent stores or prints, and no child process inherits it; <c>secret_variables</c> (or
/// <c>KGENT_SECRET_VARIABLES</c>, comma-separated) names more variables to keep from children (see <see cref="Platform.Secrets"/>).</summary>
public sealed record ModelSettings(string? Endpoint, string? Model, string? ApiKey, TimeSpan Timeout, int MaxRetries, string Source, string? EmbeddingModel = null)
{
    public static ModelSettings Offline { get; } = new(null, null, null, TimeSpan.FromSeconds(60), 3, "defaults");

    /// <summary>The offline model without its composer (<c>--model offline-retrieval</c>): the retrieval-and-template baseline
    /// the composing model is measured against.</summary>
    public const string RetrievalOnlyModel = "offline-retrieval";

    public static ModelSettings OfflineRetrievalOnly { get; } = Offline with { Model = RetrievalOnlyModel };

    public bool IsOffline => string.IsNullOrWhiteSpace(Endpoint);

    public bool IsRetrievalOnly => IsOffline && Model == RetrievalOnlyModel;

    public static string DefaultConfigPath =>
        Environment.GetEnvironmentVariable("KGENT_CONFIG") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "kgent", "config.yaml");

    /// <summary>The key as it may be shown: <c>sk-…a1b2</c> (last four characters), or "(none)".</summary>
    public string MaskedKey => ApiKey is not { Length: > 0 } key ? "(none)" : key.Length <= 8 ? "****" : $"{key[..3]}…{key[^4..]}";

    /// <summary>Settings from the config file, then the environment; problems (unreadable file, bad numbers) are reported.</summary>
    public static (ModelSettings Settings, IReadOnlyList<string> Problems) Load(string? configPath = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string? Env(string name) => environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name);
        var problems = new List<string>();
        var path = configPath ?? DefaultConfigPath;
        var file = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(File.ReadAllText(path)));
                if (stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root)
                {
                    foreach (var (key, value) in root.Children)
                    {
                        if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: { } text })
                        {
                            file[name] = text;
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
            {
                problems.Add($"{path}: cannot read the config file: {e.Message}");
            }
        }

        string? Pick(string key, string variable) => Env(variable) is { Length: > 0 } value ? value : file.GetValueOrDefault(key);
        var timeout = TimeSpan.FromSeconds(60);
        if (Pick("timeout_seconds", "KGENT_TIMEOUT") is { } t)
        {
            if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                timeout = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                problems.Add($"timeout '{t}' is not a positive number of seconds; using 60");
            }
        }

        var retries = 3;
        if (Pick("max_retries", "KGENT_MAX_RETRIES") is { } r && (!int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out retries) || retries > 10))
        {
            problems.Add($"max_retries '{r}' must be a whole number from 0 to 10; using 3");
            retries = 3;
        }

        var endpoint = Pick("endpoint", "KGENT_ENDPOINT");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            problems.Add($"endpoint '{endpoint}' is not an absolute URL such as http://localhost:11434/v1; using the offline model");
            endpoint = null;
        }

        foreach (var name in (Pick("secret_variables", "KGENT_SECRET_VARIABLES") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Platform.Secrets.RegisterVariable(name);
        }

        var apiKey = Pick("api_key", "KGENT_API_KEY");
        Platform.Secrets.RegisterValue(apiKey);
        var fromEnvironment = new[] { "KGENT_ENDPOINT", "KGENT_MODEL", "KGENT_API_KEY", "KGENT_TIMEOUT", "KGENT_MAX_RETRIES", "KGENT_EMBEDDING_MODEL" }.Any(v => Env(v) is { Length: > 0 });
        var source = string.Join(" + ", new[] { File.Exists(path) ? path : null, fromEnvironment ? "environment" : null }.OfType<string>().DefaultIfEmpty("defaults"));
        return (new ModelSettings(endpoint, Pick("model", "KGENT_MODEL"), apiKey, timeout, retries, source,
            Pick("embedding_model", "KGENT_EMBEDDING_MODEL")), problems);
    }
}
