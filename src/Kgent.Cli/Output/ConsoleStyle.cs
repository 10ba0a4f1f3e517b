namespace Kgent.Cli.Output;

/// <summary>ANSI colour for terminals; plain text when output is redirected or NO_COLOR is set.</summary>
public sealed class ConsoleStyle(bool enabled)
{
    public static ConsoleStyle Plain { get; } = new(false);

    public static ConsoleStyle ForConsole() =>
        new(!Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>True on an interactive terminal: live displays (spinners) may be used.</summary>
    public bool IsInteractive => enabled;

    public string Error(string text) => Wrap("1;31", text);

    public string Warning(string text) => Wrap("1;33", text);

    public string Good(string text) => Wrap("32", text);

    public string Bold(string text) => Wrap("1", text);

    public string Dim(string text) => Wrap("2", text);

    private string Wrap(string code, string text) => enabled ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
