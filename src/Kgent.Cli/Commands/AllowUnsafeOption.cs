using System.CommandLine;
using Kgent.Kernel.Safety;

namespace Kgent.Cli.Commands;

/// <summary><c>--allow-unsafe BUILTIN[,BUILTIN]</c>: the unsafe builtins (system, signal, override, cat) the user allows by
/// name; a bare flag is not enough, because allowing "everything unsafe" is never what a user means.</summary>
internal static class AllowUnsafeOption
{
    public static Option<string[]> Create(string what) => new("--allow-unsafe")
    {
        Description = $"Allow these unsafe builtins by name ({string.Join(", ", SafetyPolicy.Builtins.Select(b => b.Name))}), e.g. --allow-unsafe cat: {what}",
        AllowMultipleArgumentsPerToken = false,
        Validators =
        {
            result =>
            {
                if (SafetyAllowance.Parse(result.Tokens.Select(t => t.Value), out var problem) is null)
                {
                    result.AddError(result.Tokens.Any(t => t.Value.Contains('.', StringComparison.Ordinal) || t.Value.Contains('/', StringComparison.Ordinal))
                        ? $"--allow-unsafe takes the builtins to allow (e.g. --allow-unsafe cat), not a file: {problem}"
                        : problem!);
                }
            },
        },
    };

    /// <summary>The allowance the option's values name (none when the option is absent).</summary>
    public static SafetyAllowance Allowance(string[]? values) =>
        values is { Length: > 0 } ? SafetyAllowance.Parse(values, out _) ?? SafetyAllowance.None : SafetyAllowance.None;
}
