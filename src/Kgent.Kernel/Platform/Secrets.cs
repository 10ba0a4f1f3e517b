using System.Collections.Concurrent;

namespace Kgent.Kernel.Platform;

/// <summary>What Kgent keeps out of children's environments and out of every text it stores or prints: the model's API key
/// and the environment variables that hold secrets. <c>KGENT_API_KEY</c> and the usual provider variables always count;
/// the settings add more (<c>secret_variables</c> in the config file, <c>KGENT_SECRET_VARIABLES</c>, comma-separated).</summary>
public static class Secrets
{
    private const int ShortestSecret = 6;
    private static readonly ConcurrentDictionary<string, byte> Values = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> Variables = new(StringComparer.Ordinal);

    static Secrets()
    {
        foreach (var name in DefaultVariables)
        {
            Variables[name] = 0;
        }

        foreach (var name in (Environment.GetEnvironmentVariable("KGENT_SECRET_VARIABLES") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Variables[name] = 0;
        }

        foreach (var name in Variables.Keys)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                RegisterValue(value);
            }
        }
    }

    /// <summary>The variables that always hold secrets.</summary>
    public static IReadOnlyList<string> DefaultVariables { get; } = ["KGENT_API_KEY", "OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "ANTHROPIC_API_KEY"];

    /// <summary>Every variable a child must not inherit.</summary>
    public static IReadOnlyCollection<string> VariableNames => [.. Variables.Keys];

    /// <summary>Marks an environment variable as secret (and its current value, if any).</summary>
    public static void RegisterVariable(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }

        Variables[name.Trim()] = 0;
        if (Environment.GetEnvironmentVariable(name.Trim()) is { } value)
        {
            RegisterValue(value);
        }
    }

    /// <summary>Marks a value (an API key) as secret: it is scrubbed from everything Kgent stores or prints.</summary>
    public static void RegisterValue(string? value)
    {
        if (value?.Trim() is { Length: >= ShortestSecret } secret)
        {
            Values[secret] = 0;
        }
    }

    /// <summary>The text with every secret value replaced by <c>[secret]</c>.</summary>
    public static string Scrub(string text)
    {
        if (string.IsNullOrEmpty(text) || Values.IsEmpty)
        {
            return text;
        }

        foreach (var secret in Values.Keys.OrderByDescending(s => s.Length))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, "[secret]", StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Removes every secret variable from a child's environment.</summary>
    public static void RemoveFrom(IDictionary<string, string?> environment)
    {
        foreach (var name in Variables.Keys)
        {
            environment.Remove(name);
        }
    }
}
