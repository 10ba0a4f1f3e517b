using System.CommandLine;
using System.CommandLine.Parsing;

namespace Kgent.Cli;

/// <summary>Command-line mistakes as one short line each, naming the token that is wrong: an unknown option (which
/// System.CommandLine would otherwise take for a file name and then blame the next argument), with a did-you-mean, or a
/// bad value. Exit code 2, like every other usage error of Kgent.</summary>
internal static class CommandLineErrors
{
    public const int ExitCode = 2;

    /// <summary>Writes the problems of <paramref name="result"/>; false when there are none.</summary>
    public static bool Report(ParseResult result, TextWriter error)
    {
        var command = result.CommandResult.Command;
        var name = CommandPath(result.CommandResult);
        var unknown = UnknownOptions(result).ToList();
        if (unknown.Count > 0)
        {
            var known = KnownOptions(result.CommandResult).Where(o => o.StartsWith("--", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            foreach (var token in unknown)
            {
                var suggestion = Kgent.Kernel.Bpftrace.Diagnostics.Suggestions.Closest(token, known);
                error.WriteLine($"{name}: error: unknown option '{token}'" + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"));
            }

            error.WriteLine($"{name}: options: {(known.Count == 0 ? "none" : string.Join(", ", known))} (see {name} --help)");
            return true;
        }

        if (result.Errors.Count == 0)
        {
            return false;
        }

        var problems = result.Errors.Select(e => e.Message).ToList();
        if (problems.Count > 1)
        {
            problems.RemoveAll(m => m.StartsWith("Required command was not provided", StringComparison.Ordinal));
        }

        foreach (var problem in problems)
        {
            error.WriteLine($"{name}: error: {Clarify(problem)}");
        }

        error.WriteLine($"{name}: see {name} --help" + (command.Subcommands.Count > 0 && result.CommandResult.Parent is null ? " for the commands" : string.Empty));
        return true;
    }

    /// <summary>Tokens that look like options (start with '-', are not '-' or after '--') but name none of the command's.</summary>
    private static IEnumerable<string> UnknownOptions(ParseResult result)
    {
        var values = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        for (SymbolResult? at = result.CommandResult; at is not null; at = at.Parent)
        {
            if (at is CommandResult commandResult)
            {
                foreach (var option in commandResult.Children.OfType<OptionResult>())
                {
                    foreach (var token in option.Tokens)
                    {
                        values.Add(token);
                    }
                }
            }
        }

        var afterDoubleDash = false;
        foreach (var token in result.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                afterDoubleDash = true;
                continue;
            }

            if (!afterDoubleDash && token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-'
                && !values.Contains(token) && !IsNumber(token.Value))
            {
                yield return token.Value;
            }
        }

        foreach (var unmatched in result.UnmatchedTokens.Where(t => t.Length > 1 && t[0] == '-' && !IsNumber(t)))
        {
            yield return unmatched;
        }
    }

    private static bool IsNumber(string text) => double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static IEnumerable<string> KnownOptions(CommandResult command)
    {
        for (SymbolResult? at = command; at is not null; at = at.Parent)
        {
            if (at is CommandResult { Command: var c })
            {
                foreach (var option in c.Options.Where(o => at == command || o.Recursive))
                {
                    yield return option.Name;
                    foreach (var alias in option.Aliases)
                    {
                        yield return alias;
                    }
                }
            }
        }
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? at = command; at is CommandResult c; at = at.Parent)
        {
            names.Insert(0, c.Parent is null ? "kgent" : c.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static string Clarify(string message) =>
        message.Replace("'System.Nullable`1[System.Int32]'", "whole number", StringComparison.Ordinal)
            .Replace("'System.Int32'", "whole number", StringComparison.Ordinal)
            .Replace("expected type whole number", "a whole number", StringComparison.Ordinal)
            .TrimEnd('.');
}
