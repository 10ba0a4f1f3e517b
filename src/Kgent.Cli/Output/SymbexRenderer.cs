using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Output;

/// <summary>Prints a symbolic-verification result: one line per assertion, and for a counterexample the failing line
/// with a caret, the values involved (hex and decimal), the path and what the contract says.</summary>
public static class SymbexRenderer
{
    public static void Write(TextWriter output, SymbolicResult result, ConsoleStyle style)
    {
        var source = result.Parse.Source;
        if (result.Refusal is { } refusal)
        {
            DiagnosticRenderer.Write(output, [.. Kgent.Kernel.Semantics.SemanticDiagnostics.FromSafety(refusal)], source, style);
            output.WriteLine(style.Error($"{source.Path}: refused by the safety policy; nothing was verified"));
            return;
        }

        if (result.Assertions.IsEmpty)
        {
            output.WriteLine($"{source.Path}: no assert(...) statements: nothing to prove");
        }

        foreach (var assertion in result.Assertions)
        {
            if (SymbolicDiagnostics.From(assertion) is { } diagnostic)
            {
                DiagnosticRenderer.Write(output, [diagnostic], source, style);
                if (assertion.Verdict is SymbolicVerdict.Counterexample counterexample)
                {
                    WriteCounterexample(output, counterexample, style);
                }
            }
            else
            {
                var verified = (SymbolicVerdict.Verified)assertion.Verdict;
                output.WriteLine($"{source.Path}:{assertion.Position.Line}:{assertion.Position.Column}: {style.Good("verified")}: assert({assertion.Text})" +
                    style.Dim($"  ({verified.PathsChecked} path{(verified.PathsChecked == 1 ? string.Empty : "s")})"));
            }
        }

        foreach (var note in result.Notes)
        {
            output.WriteLine(style.Dim($"note: {note}"));
        }

        var counts = result.Assertions.GroupBy(a => a.Verdict.Kind).ToDictionary(g => g.Key, g => g.Count());
        var summary = $"{result.Assertions.Length} assertion{(result.Assertions.Length == 1 ? string.Empty : "s")}: " +
            string.Join(", ", Enum.GetValues<VerdictKind>().Where(counts.ContainsKey).Select(k => $"{counts[k]} {k.Display()}")) +
            $" ({result.Queries.Length} solver quer{(result.Queries.Length == 1 ? "y" : "ies")}" +
            (result.ContractsUsed.IsEmpty ? ", no contracts" : $", contracts: {string.Join(", ", result.ContractsUsed)}") + ")";
        if (result.Assertions.IsEmpty)
        {
            return;
        }

        output.WriteLine(result.IsVerified ? style.Good(summary) : style.Error(summary));
    }

    private static void WriteCounterexample(TextWriter output, SymbolicVerdict.Counterexample counterexample, ConsoleStyle style)
    {
        output.WriteLine(style.Bold("  counterexample:"));
        Section(output, "values", counterexample.Terms.Select(v => v.ToString()));
        Section(output, "variables", counterexample.Variables.Select(v => v.ToString()));
        Section(output, "inputs", counterexample.Inputs.Select(v => v.ToString()));
        Section(output, "path", counterexample.Path);
        Section(output, "contract", counterexample.Notes);
        output.WriteLine();
    }

    private static void Section(TextWriter output, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count == 0)
        {
            return;
        }

        output.WriteLine($"    {title}:");
        foreach (var line in list)
        {
            output.WriteLine($"      {line}");
        }
    }
}
