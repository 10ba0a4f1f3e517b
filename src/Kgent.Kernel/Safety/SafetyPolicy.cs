using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Safety;

/// <summary>Kgent's one safety policy, applied at every entrance (check, symbex, verify, run, synth, the example store,
/// the notebook): a program that calls <c>system</c>, <c>signal</c>, <c>override</c> or <c>cat</c> is refused unless the
/// user allowed that builtin by name. The review runs on the program after preprocessing — its <c>#define</c>s and every
/// macro of the headers it <c>#include</c>s expanded (<see cref="MacroExpander"/>) — so a builtin hidden in a macro or a
/// header is found where it is used. Kgent never passes <c>--unsafe</c> to bpftrace unless an allowed builtin needs it.</summary>
public static class SafetyPolicy
{
    public static ImmutableArray<UnsafeBuiltin> Builtins { get; } =
    [
        new("system", "runs a command on the host", NeedsUnsafeFlag: true),
        new("signal", "sends a signal to the traced process", NeedsUnsafeFlag: true),
        new("override", "changes a kernel function's return value", NeedsUnsafeFlag: true),
        new("cat", "reads a file on the host", NeedsUnsafeFlag: false),
    ];

    public static SafetyReview Review(ParseResult program, SafetyAllowance? allowance = null, IReadOnlyList<string>? includeDirectories = null) =>
        Review(program.Source.Text, program.Source.Path, allowance, includeDirectories);

    /// <summary>Reviews program text (it need not parse: the review works on tokens, so a program with syntax errors cannot
    /// slip past it).</summary>
    public static SafetyReview Review(string text, string path, SafetyAllowance? allowance = null, IReadOnlyList<string>? includeDirectories = null)
    {
        allowance ??= SafetyAllowance.None;
        var tokens = CToken.Split(text, skipDirectives: true);
        var macros = MacroTable.For(text, path, includeDirectories ?? Semantics.CheckOptions.DefaultIncludeDirectories);
        var expander = new MacroExpander(macros);
        var expanded = expander.Expand(tokens);
        var violations = ImmutableArray.CreateBuilder<SafetyViolation>();
        var seen = new HashSet<(string, int)>();
        for (var i = 0; i + 1 < expanded.Count; i++)
        {
            var token = expanded[i].Token;
            if (token.Kind != CTokenKind.Identifier || !expanded[i + 1].Token.IsPunctuation("(")
                || Builtins.FirstOrDefault(b => b.Name == token.Text) is not { } builtin)
            {
                continue;
            }

            var origin = expanded[i].Origin;
            if (seen.Add((builtin.Name, origin.Offset)))
            {
                violations.Add(new SafetyViolation(builtin, new TextSpan(origin.Offset, origin.Text.Length),
                    [.. expanded[i].Via.Select(m => $"{m.Name} (defined at {m.Location})")], allowance.Allows(builtin.Name)));
            }
        }

        return new SafetyReview(violations.ToImmutable(),
            expander.Truncated ? $"its macros expand beyond what Kgent reviews ({MacroExpander.MaxTokens:N0} tokens or {MacroExpander.MaxDepth} levels), so it cannot be cleared" : null);
    }
}
