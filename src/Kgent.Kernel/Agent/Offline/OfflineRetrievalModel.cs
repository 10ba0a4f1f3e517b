using System.Text.RegularExpressions;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Agent.Offline;

/// <summary>Kgent's offline model: the default when no LLM endpoint is configured. Deterministic, no network. It
/// answers synthesis prompts with programs composed from the request's intent specification and this kernel's catalog
/// (<see cref="Composer.ProgramComposer"/>; the retrieved examples give their style), then retrieved examples adapted to the
/// request on hooks that observe what it asks; after each failed attempt it moves to the next-best candidate, and with
/// none it says why. Comprehension prompts get annotations from the contracts, intent prompts the offline intent
/// reader's specification. It is a composer over retrieval and templates, not a language model, and says so in every
/// reply. Without composing (<c>--model offline-retrieval</c>) it is the retrieval-only baseline it grew from.</summary>
public sealed partial class OfflineRetrievalModel(ProbeCatalog? catalog, ContractSet? contracts, bool compose = true) : IChatClient
{
    public const string Name = "offline retrieval model";

    /// <summary>The name of the baseline that only retrieves and adapts (no composer), as its replies and results say.</summary>
    public const string RetrievalOnlyName = "offline retrieval model, retrieval only";

    private string Self => compose ? Name : RetrievalOnlyName;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var system = list.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? string.Empty;
        var user = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var reply = system == ComprehensionPrompt.Boilerplate ? Comprehend(user)
            : system == Intent.IntentPrompt.System ? Specify(user)
            : system == Libbpf.Agent.CPrompter.Boilerplate ? SynthesizeC(user)
            : Synthesize(user, TargetOf(system));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { ModelId = Self });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"the {Name} does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(Self, null, Self) : null;

    public void Dispose()
    {
    }

    /// <summary>The release the system prompt names ("You write bpftrace programs (bpftrace 0.27.1)"), as a model reads
    /// it; 0.17 when it names none.</summary>
    private static Version TargetOf(string system) =>
        TargetLine().Match(system) is { Success: true } m && Bpftrace.Language.LanguageFeatures.TryParseVersion(m.Groups[1].Value, out var version)
            ? version
            : Bpftrace.Language.BpftraceLanguage.DefaultTarget;

    private string Synthesize(string prompt, Version target)
    {
        var request = RequestLine().Match(prompt) is { Success: true } r ? r.Groups[1].Value.Trim() : prompt.Trim();
        var examples = ExampleBlock().Matches(prompt)
            .Select(m => Example.New(m.Groups["request"].Value.Trim(), m.Groups["program"].Value.Trim() + "\n", "prompt"))
            .ToList();
        if (ActionRequest().IsMatch(request) && !ObservingRequest().IsMatch(request))
        {
            return $"({Self}) I only write programs that observe the kernel. This request asks to act on the system (run a command, kill or delete), " +
                "which a tracing program must not do; ask what to trace instead.";
        }

        var previousAttempts = AttemptLine().Matches(prompt).Select(m => m.Groups[1].Value).Distinct().Count();
        var (candidates, refusal) = Candidates(request, examples);
        if (candidates.Count == 0)
        {
            return $"({Self}) {refusal}";
        }

        var index = Math.Min(previousAttempts, candidates.Count - 1);
        var (program, how) = candidates[index];
        return $"({Self}: candidate {index + 1} of {candidates.Count}, {how})\n```bpftrace\n{Bpftrace.Porting.DialectPorter.InDialect(program, target, "candidate.bt").TrimEnd()}\n```\n";
    }

    /// <summary>A libbpf C program composed from the request's intent specification (<see cref="Libbpf.Agent.CProgramComposer"/>);
    /// after each failed attempt the next candidate; with none, why. The retrieval-only baseline does not write C.</summary>
    private string SynthesizeC(string prompt)
    {
        var request = RequestLine().Match(prompt) is { Success: true } r ? r.Groups[1].Value.Trim() : prompt.Trim();
        if (ActionRequest().IsMatch(request) && !ObservingRequest().IsMatch(request))
        {
            return $"({Self}) I only write programs that observe the kernel; ask what to trace instead.";
        }

        if (!compose)
        {
            return $"({Self}) The retrieval-only baseline has no C examples to adapt; use the offline model that composes (--model offline).";
        }

        var spec = Intent.OfflineIntentReader.Read(request, catalog);
        var named = OfflineSynthesizer.NamedHooks(request);
        if (spec.Events.IsEmpty)
        {
            var found = Composer.CatalogEvents.Find(request, catalog);
            spec = spec with { Events = found.IsEmpty ? NamedEvents(named) : found };
        }

        var candidates = Libbpf.Agent.CProgramComposer.Compose(spec, catalog, named);
        if (candidates.Count == 0)
        {
            return $"({Self}) I can't compose a libbpf C program for this request: " + (spec.Events.IsEmpty
                ? "no known hook matches its words; rephrase it with what to trace (files, processes, TCP, disk, …)."
                : $"I write C for printing, counting, summing and histograms on tracepoints, and this asks for {Intent.IntentNames.Of(spec.Computation?.Kind ?? Intent.ComputationKind.Print)} of {string.Join(" and ", spec.Events.Select(e => e.Name).Distinct())}.");
        }

        var previousAttempts = AttemptLine().Matches(prompt).Select(m => m.Groups[1].Value).Distinct().Count();
        var index = Math.Min(previousAttempts, candidates.Count - 1);
        var (program, how) = candidates[index];
        return $"({Self}: candidate {index + 1} of {candidates.Count}, composed: {how})\n```c\n{program.TrimEnd()}\n```\n";
    }

    /// <summary>The candidates, best first: programs composed from the request's intent specification (its events
    /// found in the catalog by name when the reader's vocabulary has none), then retrieved examples adapted to the
    /// request, but only those on a hook that observes an event the request asks about; or why there are none.</summary>
    private (List<(string Program, string How)> Candidates, string Refusal) Candidates(string request, List<Example> examples)
    {
        var spec = Intent.OfflineIntentReader.Read(request, catalog);
        var named = OfflineSynthesizer.NamedHooks(request);
        if (spec.Events.IsEmpty)
        {
            var found = Composer.CatalogEvents.Find(request, catalog);
            spec = spec with { Events = found.IsEmpty ? NamedEvents(named) : found };
        }

        var candidates = !compose ? []
            : Composer.ProgramComposer.Compose(spec, catalog, Composer.CompositionStyle.Of(examples), named)
                .Select(c => (c.Program, $"composed: {c.Summary}"))
                .ToList();
        var adapted = OfflineSynthesizer.Candidates(request, examples, catalog, unrelated: !compose);
        if (compose && !spec.Events.IsEmpty)
        {
            var acceptable = spec.Events.SelectMany(e => e.Hooks).Select(h => h.AttachPoint).ToHashSet(StringComparer.Ordinal);
            adapted = [.. adapted.Where(p => OfflineSynthesizer.AttachPoints(p).Any(acceptable.Contains))];
        }

        candidates.AddRange(adapted.Where(p => candidates.TrueForAll(c => c.Program != p)).Select(p => (p, "adapted from the retrieved examples and the hook lexicon")));
        var events = spec.Events.Where(e => e.Hooks.IsEmpty).Select(e => e.Name).ToList();
        var refusal = events.Count > 0
            ? $"I can't: this kernel has no hook that observes {string.Join(" or ", events)}."
            : !spec.Events.IsEmpty
                ? $"I can't compose a program for {string.Join(" and ", spec.Events.Select(e => e.Name).Distinct())} from what the request asks, and no stored example observes it."
                : "No stored example or known hook matches this request's words; rephrase it with what to trace (files, processes, TCP, disk, …).";
        return (candidates, refusal);
    }

    /// <summary>Hooks the request names outright ("Hint: use tracepoint:block:block_rq_issue") as one event.</summary>
    private static System.Collections.Immutable.ImmutableArray<Intent.IntentEvent> NamedEvents(IReadOnlySet<string> named) =>
        named.Count == 0 ? [] : [new Intent.IntentEvent(named.First().Split(':')[^1].Replace('_', ' '), named.First(), [.. named.Select(h => new Intent.IntentHook(h))])];

    private string Comprehend(string prompt)
    {
        var program = ProgramBlock().Match(prompt) is { Success: true } m ? m.Groups[1].Value.Trim() + "\n" : string.Empty;
        var annotated = OfflineAnnotator.Annotate(program, contracts, catalog);
        return $"({Self}: annotations from the kernel contracts)\n```bpftrace\n{annotated.TrimEnd()}\n```\n";
    }

    /// <summary>The intent prompt: the offline intent reader's specification of the request (its own vocabulary; what it
    /// does not understand is left out).</summary>
    private string Specify(string prompt)
    {
        var request = RequestLine().Match(prompt) is { Success: true } r ? r.Groups[1].Value.Trim() : prompt.Trim();
        var spec = Intent.OfflineIntentReader.Read(request, catalog);
        return $"({Self}: specification by the {Intent.OfflineIntentReader.Name})\n```json\n{Intent.IntentJson.Write(spec)}\n```\n";
    }

    /// <summary>Requests to act rather than observe: run commands, kill or signal processes, delete, reboot.</summary>
    [GeneratedRegex(@"\b(rm\s+-|run\s+(a\s+|the\s+)?(shell|command|script|`)|execute\s+(a\s+|the\s+)?(shell|command|script)|kill\s+(all|every|them|it|the|-9|processes)|send\s+sigkill|reboot|shut\s*down|delete\s+(all|every|the)|wipe|overwrite)", RegexOptions.IgnoreCase)]
    private static partial Regex ActionRequest();

    /// <summary>Questions about what processes do ("which processes delete the most files?") observe, even with an action verb.</summary>
    [GeneratedRegex(@"^\s*(which|who|what|how|count|trace|show|print|list|log|measure|histogram|sum|report|watch|monitor|tally)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ObservingRequest();

    [GeneratedRegex(@"^Request: (.*)$", RegexOptions.Multiline)]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"^### (?<request>[^\n]*)\n```bpftrace\n(?<program>.*?)\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    [GeneratedRegex(@"^- attempt (\d+),", RegexOptions.Multiline)]
    private static partial Regex AttemptLine();

    [GeneratedRegex(@"```bpftrace\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ProgramBlock();

    [GeneratedRegex(@"\(bpftrace (\d+\.\d+(?:\.\d+)?)\)")]
    private static partial Regex TargetLine();
}
