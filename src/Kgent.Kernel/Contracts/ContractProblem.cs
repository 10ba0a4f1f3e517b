namespace Kgent.Kernel.Contracts;

/// <summary>Something wrong in a contract file, in compiler form: <c>file:line:col: error KG5003: message</c>.</summary>
public sealed record ContractProblem(ContractLocation Location, string Code, string Message, string? Hint = null)
{
    public override string ToString() =>
        $"{Location}: error {Code}: {Message}" + (Hint is null ? string.Empty : $"{Environment.NewLine}  help: {Hint}");
}
