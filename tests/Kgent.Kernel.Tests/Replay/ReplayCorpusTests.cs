using System.Text.Json;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Tests.Support;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Tests.Replay;

/// <summary>The replay corpus (datasets/replay/replies.yaml, 120 replies for the 40 requests of datasets/eval, in the
/// styles real chat models answer in) played through the real HTTP path: a loopback OpenAI-compatible server answers the
/// synthesis prompt of attempt N with the case's reply N, and the loop runs as with a configured LLM (checker, intent
/// check with Z3, the real kernel verifier), once with repairs and once without. The figures are printed; the tests hold
/// what each style must lead to.</summary>
[Collection(KernelCollection.Name)]
public sealed class ReplayCorpusTests(ReplayCorpusTests.Replayed replayed, ITestOutputHelper output) : IClassFixture<ReplayCorpusTests.Replayed>
{
    public sealed record Case(string Id, string Request, string Style, IReadOnlyList<string> Replies);

    public sealed record Outcome(Case Case, SynthesisResult Result, int SynthesisCalls)
    {
        public bool Verified => Result is SynthesisResult.Succeeded { IsVerified: true };

        public Attempt First => Result.Attempts[0];
    }

    public static IReadOnlyList<Case> Corpus { get; } = Load();

    private static IReadOnlyList<Case> Load()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "replay", "replies.yaml"))));
        var cases = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["cases"];
        return [.. cases.Cast<YamlMappingNode>().Select(c => new Case(
            ((YamlScalarNode)c["id"]).Value!, ((YamlScalarNode)c["request"]).Value!, ((YamlScalarNode)c["style"]).Value!,
            [.. ((YamlSequenceNode)c["replies"]).Cast<YamlScalarNode>().Select(r => r.Value ?? string.Empty)]))];
    }

    /// <summary>Every case played with repairs and without, once for all the tests.</summary>
    public sealed class Replayed
    {
        private readonly Lazy<(IReadOnlyList<Outcome> Repaired, IReadOnlyList<Outcome> Unrepaired)> outcomes = new(() =>
            (Play(repair: true), Play(repair: false)));

        public IReadOnlyList<Outcome> Repaired => outcomes.Value.Repaired;

        public IReadOnlyList<Outcome> Unrepaired => outcomes.Value.Unrepaired;

        private static IReadOnlyList<Outcome> Play(bool repair) =>
            [.. Corpus.Select(c => PlayAsync(c, repair).GetAwaiter().GetResult())];

        private static async Task<Outcome> PlayAsync(Case corpusCase, bool repair)
        {
            using var server = new OpenAiStubServer();
            var calls = 0;
            server.Responder = body =>
            {
                using var request = JsonDocument.Parse(body);
                var messages = request.RootElement.GetProperty("messages");
                var system = messages[0].GetProperty("content").GetString() ?? string.Empty;
                if (!system.StartsWith("You write bpftrace programs", StringComparison.Ordinal))
                {
                    return OpenAiStubServer.Reply("no annotations"); // comprehension: Kgent annotates from the contracts
                }

                Interlocked.Increment(ref calls);
                var user = messages[messages.GetArrayLength() - 1].GetProperty("content").GetString() ?? string.Empty;
                var attempt = System.Text.RegularExpressions.Regex.Matches(user, @"(?m)^- attempt (\d+),").Select(m => m.Groups[1].Value).Distinct().Count() + 1;
                return OpenAiStubServer.Reply(corpusCase.Replies[Math.Min(attempt, corpusCase.Replies.Count) - 1]);
            };
            var model = ModelProvider.Create(new ModelSettings(server.Endpoint, "replay-model", "replay-key", TimeSpan.FromSeconds(60), 0, "replay"), Catalogs.Live, SymbolicCases.Contracts);
            var options = new SynthesisOptions(3, Catalog: Catalogs.Live, Contracts: SymbolicCases.Contracts, ModelName: "replay", Learn: false, Intent: new OfflineIntentReader())
            {
                Repair = repair,
            };
            var result = await new SynthesisLoop(model, options).RunAsync(corpusCase.Request).ConfigureAwait(false);
            return new Outcome(corpusCase, result, calls);
        }
    }

    [Fact]
    public void The_corpus_has_at_least_100_replies_in_every_style()
    {
        Assert.True(Corpus.Sum(c => c.Replies.Count) >= 100);
        Assert.Equal(
            ["cut off", "empty reply", "kprobe", "made-up probe", "misspelt field", "newer dialect", "prose", "several blocks", "unsafe builtin", "untagged block", "wrong arity"],
            Corpus.Select(c => c.Style).Distinct().Order(StringComparer.Ordinal));
        var (exitCode, text) = NotebookHost.Run("/usr/bin/python3", [Path.Combine(Support.Corpus.RepositoryRoot, "scripts", "make-replay-corpus.py"), "--check"], TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, text);
    }

    [BpftraceFact]
    public void The_fraction_verified_and_the_calls_repairs_save_are_reported()
    {
        var repaired = replayed.Repaired;
        var unrepaired = replayed.Unrepaired;
        int Calls(IReadOnlyList<Outcome> o) => o.Sum(x => x.SynthesisCalls);
        output.WriteLine($"replay corpus: {Corpus.Sum(c => c.Replies.Count)} replies for {Corpus.Count} requests; " +
            $"verified within 3 attempts: {repaired.Count(o => o.Verified)}/{Corpus.Count} with repairs, {unrepaired.Count(o => o.Verified)}/{Corpus.Count} without; " +
            $"model calls for synthesis: {Calls(repaired)} with repairs, {Calls(unrepaired)} without (saved {Calls(unrepaired) - Calls(repaired)})");
        foreach (var style in Corpus.Select(c => c.Style).Distinct().Order(StringComparer.Ordinal))
        {
            var mine = repaired.Where(o => o.Case.Style == style).ToList();
            output.WriteLine($"  {style}: {mine.Count(o => o.Verified)}/{mine.Count} verified, {mine.Sum(o => o.SynthesisCalls)} calls with repairs, " +
                $"{unrepaired.Where(o => o.Case.Style == style).Sum(o => o.SynthesisCalls)} without");
        }

        Assert.True(Calls(repaired) < Calls(unrepaired), "repairs saved no model call");
        Assert.True(repaired.Count(o => o.Verified) >= unrepaired.Count(o => o.Verified));
    }

    [BpftraceFact]
    public void Each_style_leads_where_it_should()
    {
        foreach (var outcome in replayed.Repaired)
        {
            var first = outcome.First;
            var what = $"{outcome.Case.Id} ({outcome.Case.Style})";
            switch (outcome.Case.Style)
            {
                case "misspelt field" or "newer dialect" or "kprobe":
                    Assert.True(!first.Repairs.IsEmpty, $"{what}: attempt 1 was not repaired: {string.Join("; ", first.Feedback.Select(f => f.Message))}");
                    break;
                case "unsafe builtin":
                    Assert.True(first.FailedStage == "safety policy", $"{what}: {first.FailedStage}");
                    Assert.Null(first.Load); // never reached the kernel
                    break;
                case "empty reply":
                    Assert.Equal("the reply was empty", Assert.Single(first.Feedback).Message);
                    break;
                case "made-up probe" or "wrong arity":
                    Assert.True(first.FailedStage == "semantic check", $"{what}: {first.FailedStage}");
                    break;
                case "cut off":
                    // A reply cut inside its code block: no program taken (the fence never closes), or a parse error.
                    Assert.True(first.FailedStage is "synthesis" or "parse" or "semantic check" || !first.Repairs.IsEmpty, $"{what}: {first.FailedStage}");
                    Assert.False(outcome.Result.Attempts[0].IsVerified, what);
                    break;
                default: // a good answer, however it is wrapped, is taken from its block at once
                    Assert.True(first.Candidate is not null, $"{what}: no candidate taken from the reply");
                    Assert.True(first.FailedStage is null or "symbolic verifier" or "kernel verifier", $"{what}: {first.FailedStage}");
                    break;
            }

            // Every case ends with a program verified, or says why not.
            Assert.True(outcome.Verified || outcome.Result.Attempts.All(a => a.Feedback.Length > 0 || a.Verdict != "verified"), what);
        }
    }
}
