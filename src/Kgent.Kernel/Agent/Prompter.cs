using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Agent;

/// <summary>Builds the prompt as the paper's prompter does: boilerplate + request + the top-k most similar examples
/// from the store + all feedback so far, plus what this host can attach and which bpftrace release the program is for.</summary>
public static class Prompter
{
    /// <summary>The system message for the default target, bpftrace 0.17.</summary>
    public static string Boilerplate { get; } = BoilerplateFor(Bpftrace.Language.BpftraceLanguage.DefaultTarget);

    /// <summary>The system message for a target release: its name, how it reads tracepoint arguments, and the newer
    /// syntax it lacks (from the release table), so a model trained on current bpftrace writes what the target runs.</summary>
    public static string BoilerplateFor(Version target)
    {
        var name = Bpftrace.Language.BpftraceLanguage.Name(target);
        var args = Bpftrace.Language.LanguageFeatures.Get("args-struct").IsAvailableIn(target) ? "args.FIELD" : "args->FIELD";
        var lacking = Bpftrace.Language.LanguageFeatures.All
            .Where(f => f.Kind is Bpftrace.Language.LanguageFeatureKind.Syntax && f.Added is not null && !f.IsAvailableIn(target))
            .Select(f => $"{f.Title} ({Bpftrace.Language.LanguageFeature.Name(f.Added!)})")
            .ToList();
        return $"""
            You write bpftrace programs (bpftrace {name}) for Linux kernel tracing.
            Rules: use only probes and fields that exist on the target kernel; prefer tracepoints; never call system(),
            signal() or override(); read tracepoint arguments as {args}; keep output small (maps or short printf lines);
            loops must be bounded. Reply with exactly one program in a ```bpftrace block and nothing else.
            """ + (lacking.Count == 0 ? string.Empty
                : $"\nbpftrace {name} lacks newer syntax; do not use: {string.Join(", ", lacking)}.");
    }

    /// <param name="specHooks">The hooks the request's intent specification names (its own events), described first.</param>
    /// <param name="contracts">The contracts whose notes go beside each hook's fields.</param>
    /// <param name="failed">On a retry, the last attempt's number and program, shown with its diagnostics.</param>
    public static Prompt Build(string request, IReadOnlyList<ExampleMatch> examples, IReadOnlyList<Feedback> feedback, ProbeCatalog? catalog,
        Version? target = null, IEnumerable<string>? specHooks = null, Contracts.ContractSet? contracts = null, (int Attempt, string Program)? failed = null)
    {
        var ported = examples.Select(e => InDialect(e, target)).ToList();
        return new(BoilerplateFor(target ?? Bpftrace.Language.BpftraceLanguage.DefaultTarget), request, [.. ported], [.. feedback], HostFacts(catalog))
        {
            HookFacts = PromptFacts.Hooks(PromptFacts.HooksFor(specHooks ?? [], ported), catalog, contracts),
            FailedProgram = failed is { } last ? PromptFacts.FailedProgram(last.Attempt, last.Program, feedback) : null,
        };
    }

    /// <summary>An example in the target's dialect (the store holds 0.17 programs): ported where the meaning is unchanged.</summary>
    private static ExampleMatch InDialect(ExampleMatch match, Version? target) =>
        target is null ? match : match with { Example = match.Example with { Program = Bpftrace.Porting.DialectPorter.InDialect(match.Example.Program, target, "example.bt") } };

    internal static string HostFacts(ProbeCatalog? catalog)
    {
        if (catalog is null)
        {
            return "Target kernel: unknown.";
        }

        var unavailable = new[] { ProbeType.Kprobe, ProbeType.Kretprobe, ProbeType.Kfunc, ProbeType.Kretfunc }
            .Where(t => !catalog.Host.CanAttach(t))
            .Select(t => ProbeTypeInfo.Of(t).Name)
            .ToList();
        return $"Target kernel: Linux {catalog.Host.KernelRelease}, {catalog.TracepointCount:N0} tracepoints." +
            (unavailable.Count == 0 ? string.Empty : $" These probe types cannot attach here, do not use them: {string.Join(", ", unavailable)}.");
    }
}
