using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Semantics;

namespace Kgent.Kernel.Contracts;

/// <summary>Checks contracts against a kernel catalog: the hook exists (a BTF function or a tracepoint), and every
/// condition and note subject only names parameters, fields and constants that exist — by running the semantic checker
/// on a one-line probe built from each condition, so a contract is held to the same rules as a program.</summary>
public static class ContractValidator
{
    public static IReadOnlyList<ContractProblem> Validate(ContractSet contracts, ProbeCatalog catalog)
    {
        var problems = new List<ContractProblem>();
        foreach (var contract in contracts.Contracts)
        {
            Validate(contract, contracts, catalog, problems);
        }

        return problems;
    }

    private static void Validate(HookContract contract, ContractSet contracts, ProbeCatalog catalog, List<ContractProblem> problems)
    {
        BtfFunctionProto? prototype = null;
        string probe;
        if (contract.Kind == HookKind.Function)
        {
            var function = catalog.FindKernelFunction(contract.Name);
            if (function is null)
            {
                var closest = catalog.Btf is null ? null : Suggestions.Closest(contract.Name, catalog.Btf.Functions.Select(f => f.Name));
                problems.Add(new ContractProblem(contract.Location, "KG5101",
                    catalog.Btf is null ? $"cannot check function {contract.Name}: the catalog has no BTF" : $"no kernel function '{contract.Name}' in this kernel's BTF",
                    closest is null ? "list functions with: kgent probes 'kprobe:*NAME*' --all" : $"did you mean '{closest}'?"));
                return;
            }

            prototype = catalog.Btf!.PrototypeOf(function);
            probe = $"kprobe:{contract.Name}";
            foreach (var clause in contract.Post)
            {
                var parameter = clause.Expression.DescendantNodesAndSelf().OfType<IdentifierExpression>()
                    .FirstOrDefault(i => prototype?.Parameters.Any(p => p.Name == i.Name) == true);
                if (parameter is not null)
                {
                    problems.Add(new ContractProblem(clause.Location, "KG5103",
                        $"postcondition '{clause.Text}' reads parameter '{parameter.Name}', which a kretprobe cannot see",
                        "postconditions may only use retval; move conditions on parameters to 'pre'"));
                }
            }
        }
        else
        {
            var parts = contract.Name.Split(':');
            if (catalog.FindTracepoint(parts[0], parts[1]) is null)
            {
                var closest = Suggestions.Closest(contract.Name, catalog.TracepointNames);
                problems.Add(new ContractProblem(contract.Location, "KG5101", $"no tracepoint '{contract.Name}' in the catalog",
                    closest is null ? "list tracepoints with: kgent probes 'tracepoint:*'" : $"did you mean '{closest}'?"));
                return;
            }

            probe = $"tracepoint:{contract.Name}";
        }

        foreach (var clause in contract.Pre.Concat(contract.Post))
        {
            Check(clause.Expression, clause.Text, clause.Location, probe, prototype, contracts, catalog, problems, statement: false);
        }

        foreach (var note in contract.Notes)
        {
            var expression = ContractLoader.ParseExpression(note.Subject, note.Location, problems);
            if (expression is not null)
            {
                Check(expression, note.Subject, note.Location, probe, prototype, contracts, catalog, problems, statement: true);
            }
        }
    }

    private static void Check(Expression expression, string text, ContractLocation location, string probe, BtfFunctionProto? prototype,
        ContractSet contracts, ProbeCatalog catalog, List<ContractProblem> problems, bool statement)
    {
        var instantiated = ContractInstantiator.Instantiate(expression, ProbeType.Kprobe, prototype, catalog.Btf, contracts.Constants);
        var printed = BpftracePrinter.Print(instantiated);
        if (probe.StartsWith("kprobe:", StringComparison.Ordinal) && instantiated.DescendantNodesAndSelf().OfType<BuiltinExpression>().Any(b => b.Name == "retval"))
        {
            probe = "kretprobe:" + probe["kprobe:".Length..];
        }

        var program = statement ? $"{probe} {{ $v = {printed}; }}" : $"{probe} {{ assume({printed}); }}";
        var result = SemanticChecker.Check(program, location.File, catalog);
        foreach (var diagnostic in result.Errors.Where(d => d.Descriptor != SemanticDiagnostics.ProbeTypeUnavailable))
        {
            var unknownParameter = expression.DescendantNodesAndSelf().OfType<IdentifierExpression>()
                .FirstOrDefault(i => !contracts.Constants.ContainsKey(i.Name) && catalog.Btf?.FindEnumConstant(i.Name) is null
                    && prototype?.Parameters.Any(p => p.Name == i.Name) != true);
            var hint = unknownParameter is not null && prototype is not null
                ? $"'{unknownParameter.Name}' is not a parameter of this function; its parameters are {string.Join(", ", prototype.Parameters.Select(p => p.Name))}"
                : diagnostic.Hint;
            problems.Add(new ContractProblem(location, "KG5102", $"'{text}': {diagnostic.Message}", hint));
        }
    }
}
