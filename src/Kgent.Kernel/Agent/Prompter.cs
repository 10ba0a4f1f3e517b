using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Agent;

/// <summary>Builds the prompt as the paper's prompter does: boilerplate + request + the top-k most similar examples
/// from the store + all feedback so far, plus what this host can attach.</summary>
public static class Prompter
{
    public const string Boilerplate = """
        You write bpftrace programs (bpftrace 0.17) for Linux kernel tracing.
        Rules: use only probes and fields that exist on the target kernel; prefer tracepoints; never call system(),
        signal() or override(); read tracepoint arguments as args->FIELD; keep output small (maps or short printf lines);
        loops must be bounded. Reply with exactly one program in a ```bpftrace block and nothing else.
        """;

    public static Prompt Build(string request, IReadOnlyList<ExampleMatch> examples, IReadOnlyList<Feedback> feedback, ProbeCatalog? catalog) =>
        new(Boilerplate, request, [.. examples], [.. feedback], HostFacts(catalog));

    private static string HostFacts(ProbeCatalog? catalog)
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
