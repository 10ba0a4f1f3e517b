namespace Kgent.Kernel.Safety;

/// <summary>One <c>#define</c>: its name, its parameters when it is function-like, its body as tokens, and where it is.</summary>
internal sealed record MacroDefinition(string Name, IReadOnlyList<string>? Parameters, IReadOnlyList<CToken> Body, string File, int Line)
{
    public string Location => $"{File}:{Line}";
}
