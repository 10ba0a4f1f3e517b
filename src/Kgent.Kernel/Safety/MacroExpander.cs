namespace Kgent.Kernel.Safety;

/// <summary>Expands the macros in a program's tokens, the way a C preprocessor would (function-like macros take their
/// arguments; a macro does not expand inside its own expansion), and keeps for every resulting token the program token it
/// came from and the chain of macros that produced it. bpftrace 0.17 itself expands only object-like macros used as
/// plain identifiers; expanding more is on purpose: the result feeds the safety policy, which must see every way a
/// builtin can reach bpftrace. Bounded by <see cref="MaxTokens"/> and <see cref="MaxDepth"/>.</summary>
internal sealed class MacroExpander(MacroTable macros)
{
    public const int MaxTokens = 1_000_000;
    public const int MaxDepth = 64;
    private int produced;

    /// <summary>True when the bounds were reached and the expansion is partial (the policy then refuses).</summary>
    public bool Truncated { get; private set; }

    /// <summary>A token of the expanded program: the token itself, the program token it stands for, and the macros (outermost
    /// first) that produced it, empty for a token written in the program.</summary>
    public readonly record struct Expanded(CToken Token, CToken Origin, IReadOnlyList<MacroDefinition> Via);

    public List<Expanded> Expand(IReadOnlyList<CToken> program)
    {
        var output = new List<Expanded>(program.Count);
        Expand(program, 0, program.Count, null, [], 0, output);
        return output;
    }

    private void Expand(IReadOnlyList<CToken> tokens, int from, int to, CToken? origin, IReadOnlyList<MacroDefinition> via, int depth,
        List<Expanded> output)
    {
        for (var i = from; i < to; i++)
        {
            if (depth > 0 && ++produced > MaxTokens)
            {
                Truncated = true;
                return;
            }

            var token = tokens[i];
            var source = origin ?? token;
            if (token.Kind != CTokenKind.Identifier || macros.Find(token.Text) is not { } macro || via.Any(m => m.Name == macro.Name))
            {
                output.Add(new Expanded(token, source, via));
                continue;
            }

            if (depth >= MaxDepth)
            {
                Truncated = true;
                output.Add(new Expanded(token, source, via));
                continue;
            }

            IReadOnlyList<CToken> body = macro.Body;
            if (macro.Parameters is { } parameters && i + 1 < to && tokens[i + 1].IsPunctuation("("))
            {
                var (arguments, close) = Arguments(tokens, i + 1, to);
                body = Substitute(macro.Body, parameters, arguments);
                i = close;
            }
            else if (macro.Parameters is { } unused)
            {
                // Used without arguments, as bpftrace 0.17 would: its text is "(params) body".
                body = [new CToken(CTokenKind.Punctuation, "(", token.Offset), .. unused.Select(p => new CToken(CTokenKind.Identifier, p, token.Offset)),
                    new CToken(CTokenKind.Punctuation, ")", token.Offset), .. macro.Body];
            }

            body = Paste(body);
            Expand(body, 0, body.Count, source, [.. via, macro], depth + 1, output);
        }
    }

    /// <summary>The arguments of a function-like macro call starting at the '(' at <paramref name="open"/>, and the index
    /// of its ')' (or the last token when it is never closed).</summary>
    private static (List<List<CToken>> Arguments, int Close) Arguments(IReadOnlyList<CToken> tokens, int open, int to)
    {
        var arguments = new List<List<CToken>> { new() };
        var depth = 0;
        for (var i = open + 1; i < to; i++)
        {
            var token = tokens[i];
            if (token.IsPunctuation("(") || token.IsPunctuation("[") || token.IsPunctuation("{"))
            {
                depth++;
            }
            else if ((token.IsPunctuation(")") || token.IsPunctuation("]") || token.IsPunctuation("}")) && depth > 0)
            {
                depth--;
            }
            else if (token.IsPunctuation(")"))
            {
                return (arguments, i);
            }
            else if (token.IsPunctuation(",") && depth == 0)
            {
                arguments.Add([]);
                continue;
            }

            arguments[^1].Add(token);
        }

        return (arguments, to - 1);
    }

    private static List<CToken> Substitute(IReadOnlyList<CToken> body, IReadOnlyList<string> parameters, List<List<CToken>> arguments)
    {
        var result = new List<CToken>(body.Count);
        foreach (var token in body)
        {
            var index = token.Kind == CTokenKind.Identifier ? IndexOf(parameters, token.Text) : -1;
            if (index >= 0 && index < arguments.Count)
            {
                result.AddRange(arguments[index]);
            }
            else if (token.Kind == CTokenKind.Identifier && token.Text == "__VA_ARGS__" && parameters.Contains("...", StringComparer.Ordinal))
            {
                var first = IndexOf(parameters, "...");
                for (var a = first; a < arguments.Count; a++)
                {
                    if (a > first)
                    {
                        result.Add(new CToken(CTokenKind.Punctuation, ",", token.Offset));
                    }

                    result.AddRange(arguments[a]);
                }
            }
            else
            {
                result.Add(token);
            }
        }

        return result;
    }

    /// <summary>Applies <c>a ## b</c> token pasting: <c>ca ## t</c> becomes the identifier <c>cat</c>.</summary>
    private static IReadOnlyList<CToken> Paste(IReadOnlyList<CToken> body)
    {
        if (!body.Any(t => t.IsPunctuation("#")))
        {
            return body;
        }

        var result = new List<CToken>(body.Count);
        for (var i = 0; i < body.Count; i++)
        {
            if (body[i].IsPunctuation("#") && i + 1 < body.Count && body[i + 1].IsPunctuation("#") && result.Count > 0 && i + 2 < body.Count)
            {
                var left = result[^1];
                var right = body[i + 2];
                result[^1] = new CToken(left.Kind == CTokenKind.Number && right.Kind == CTokenKind.Number ? CTokenKind.Number : CTokenKind.Identifier,
                    left.Text + right.Text, left.Offset);
                i += 2;
                continue;
            }

            result.Add(body[i]);
        }

        return result;
    }

    private static int IndexOf(IReadOnlyList<string> parameters, string name)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
