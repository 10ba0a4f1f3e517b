using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Contracts;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent contracts [HOOK] [--check] [--contracts DIR] [--catalog F]</c>: lists the kernel contracts, shows
/// one hook's contract, or (with --check) validates them all against the kernel catalog. Exit 1 when a problem is found.</summary>
public static class ContractsCommand
{
    public static int Run(string? hook, bool check, string? contractsPath, string? catalogPath, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        using var workbench = CliWorkbench.Open(new WorkbenchOptions(Catalog: catalogPath, Contracts: contractsPath), error, style);
        return CliWorkbench.Run(error, () => Report(workbench, hook, check, output, error, style));
    }

    private static int Report(Workbench workbench, string? hook, bool check, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        var loaded = workbench.ReadContractDataset(out var path);
        var problems = loaded.Problems.ToList();
        if (check)
        {
            problems.AddRange(ContractValidator.Validate(loaded.Contracts, workbench.Catalog));
        }

        foreach (var problem in problems)
        {
            error.WriteLine(problem.ToString());
        }

        if (hook is not null)
        {
            var contract = loaded.Contracts.Find(hook);
            if (contract is null)
            {
                var closest = Kgent.Kernel.Bpftrace.Diagnostics.Suggestions.Closest(hook, loaded.Contracts.Contracts.Select(c => c.Name));
                error.WriteLine($"kgent: error: no contract for '{hook}'" + (closest is null ? string.Empty : $" (did you mean '{closest}'?)"));
                return 1;
            }

            Write(output, contract, style);
            return problems.Count == 0 ? 0 : 1;
        }

        if (!check)
        {
            foreach (var contract in loaded.Contracts.Contracts.OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal))
            {
                output.WriteLine($"{contract.Title,-48} {contract.Pre.Length} pre, {contract.Post.Length} post, {contract.Notes.Length} notes");
            }
        }

        var summary = $"{loaded.Contracts.Contracts.Length} contracts ({loaded.Contracts.Contracts.Count(c => c.Kind == HookKind.Function)} functions, " +
            $"{loaded.Contracts.Contracts.Count(c => c.Kind == HookKind.Tracepoint)} tracepoints) from {path}: " +
            $"{problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}{(check ? " (checked against the kernel catalog)" : string.Empty)}";
        output.WriteLine(problems.Count == 0 ? style.Good(summary) : style.Error(summary));
        return problems.Count == 0 ? 0 : 1;
    }

    private static void Write(TextWriter output, HookContract contract, ConsoleStyle style)
    {
        output.WriteLine(style.Bold(contract.Title) + style.Dim($"  ({contract.Location})"));
        output.WriteLine($"  {contract.Summary}");
        output.WriteLine($"  applies to: {string.Join(", ", contract.AttachPoints)}");
        foreach (var (title, clauses) in new[] { ("pre", contract.Pre), ("post", contract.Post) })
        {
            foreach (var clause in clauses)
            {
                output.WriteLine($"  {title}: {clause.Text}");
            }
        }

        foreach (var note in contract.Notes)
        {
            output.WriteLine($"  note: {note.Subject}: {note.Text}");
        }
    }
}
