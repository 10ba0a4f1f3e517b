using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Agent.Providers;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent config [--json]</c>: the model settings in effect and where they came from; the key is masked.</summary>
public static class ConfigCommand
{
    public static int Run(bool json, TextWriter output, ConsoleStyle style)
    {
        using var workbench = new Workbench();
        var settings = workbench.Settings;
        var problems = workbench.SettingsProblems;
        if (json)
        {
            Json.Write(output, new
            {
                model = ModelProvider.Describe(settings),
                endpoint = settings.Endpoint,
                modelName = settings.Model,
                embeddingModel = settings.EmbeddingModel,
                apiKey = settings.MaskedKey,
                timeoutSeconds = settings.Timeout.TotalSeconds,
                maxRetries = settings.MaxRetries,
                source = settings.Source,
                configFile = ModelSettings.DefaultConfigPath,
                problems,
            });
            return problems.Count == 0 ? 0 : 1;
        }

        output.WriteLine($"model:        {ModelProvider.Describe(settings)}");
        output.WriteLine($"endpoint:     {settings.Endpoint ?? "(none: the offline retrieval model is used)"}");
        output.WriteLine($"model name:   {settings.Model ?? "(none)"}");
        output.WriteLine($"embeddings:   {settings.EmbeddingModel ?? "(none: retrieval is BM25 only)"}");
        output.WriteLine($"API key:      {settings.MaskedKey}");
        output.WriteLine($"timeout:      {settings.Timeout.TotalSeconds:0.#} s, {settings.MaxRetries} retries on 429/5xx (Retry-After honoured)");
        output.WriteLine($"from:         {settings.Source}" + style.Dim($"  (config file: {ModelSettings.DefaultConfigPath}; KGENT_ENDPOINT, KGENT_MODEL, KGENT_API_KEY, KGENT_TIMEOUT, KGENT_MAX_RETRIES)"));
        foreach (var problem in problems)
        {
            output.WriteLine(style.Warning($"warning: {problem}"));
        }

        return problems.Count == 0 ? 0 : 1;
    }
}
