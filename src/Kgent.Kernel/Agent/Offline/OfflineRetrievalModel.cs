using System.Text.RegularExpressions;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Agent.Offline;

/// <summary>Kgent's offline retrieval model: the default when no LLM endpoint is configured. Deterministic, no network.
/// It answers synthesis prompts by adapting the retrieved examples and the hook lexicon (next-best candidate after each
/// failed attempt), comprehension prompts by writing annotations from the contracts, and intent prompts with the
/// offline intent reader's specification. It is a retrieval-and-template
/// engine, not a language model, and says so in every reply.</summary>
public sealed partial class OfflineRetrievalModel(ProbeCatalog? catalog, ContractSet? contracts) : IChatClient
{
    public const string Name = "offline retrieval model";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var system = list.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? string.Empty;
        var user = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var reply = system == ComprehensionPrompt.Boilerplate ? Comprehend(user)
            : system == Intent.IntentPrompt.System ? Specify(user)
            : Synthesize(user, TargetOf(system));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { ModelId = Name });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"the {Name} does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(Name, null, Name) : null;

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
            return $"({Name}) I only write programs that observe the kernel. This request asks to act on the system (run a command, kill or delete), " +
                "which a tracing program must not do; ask what to trace instead.";
        }

        var previousAttempts = AttemptLine().Matches(prompt).Select(m => m.Groups[1].Value).Distinct().Count();
        var candidates = OfflineSynthesizer.Candidates(request, examples, catalog);
        if (candidates.Count == 0)
        {
            return $"({Name}) No stored example or known hook matches this request's words; rephrase it with what to trace (files, processes, TCP, disk, …).";
        }

        var index = Math.Min(previousAttempts, candidates.Count - 1);
        return $"({Name}: candidate {index + 1} of {candidates.Count})\n```bpftrace\n{Bpftrace.Porting.DialectPorter.InDialect(candidates[index], target, "candidate.bt").TrimEnd()}\n```\n";
    }

    private string Comprehend(string prompt)
    {
        var program = ProgramBlock().Match(prompt) is { Success: true } m ? m.Groups[1].Value.Trim() + "\n" : string.Empty;
        var annotated = OfflineAnnotator.Annotate(program, contracts, catalog);
        return $"({Name}: annotations from the kernel contracts)\n```bpftrace\n{annotated.TrimEnd()}\n```\n";
    }

    /// <summary>The intent prompt: the offline intent reader's specification of the request (its own vocabulary; what it
    /// does not understand is left out).</summary>
    private string Specify(string prompt)
    {
        var request = RequestLine().Match(prompt) is { Success: true } r ? r.Groups[1].Value.Trim() : prompt.Trim();
        var spec = Intent.OfflineIntentReader.Read(request, catalog);
        return $"({Name}: specification by the {Intent.OfflineIntentReader.Name})\n```json\n{Intent.IntentJson.Write(spec)}\n```\n";
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
