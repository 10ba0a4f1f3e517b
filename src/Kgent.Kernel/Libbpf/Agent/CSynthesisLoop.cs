using System.Collections.Immutable;
using System.Diagnostics;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Check;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Verify;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Libbpf.Agent;

/// <summary>The loop for libbpf C: prompt (C rules, the intent specification's hooks with their context structs, every
/// feedback so far, the failed program with its problems under its lines) → synthesis → clang → the check against the
/// catalog and the safety policy → the kernel verifier (load-only through libbpf). Every failure is feedback, up to
/// <see cref="SynthesisOptions.Tries"/>. The same result records as the bpftrace loop. Its verdict is honest: the symbolic
/// verifier and the intent check do not read C yet, so a C program that loads is returned as "not checked", never as
/// verified, and is not added to the example store.</summary>
public sealed class CSynthesisLoop(IChatClient model, SynthesisOptions options) : ISynthesisLoop
{
    public const string NotProvedNote =
        "the symbolic verifier and the intent check do not read C programs yet: this program compiled, passed the checks and loaded, which does not prove it does what was asked";

    private readonly Pipeline stages = new(model, options);

    public async Task<SynthesisResult> RunAsync(string request, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        request = SynthesisRequest.Normalize(request);

        // As in the bpftrace loop, the comprehension engine reads the request's specification (here: for the hooks the
        // prompt describes) only when the loop comprehends and has a catalog.
        Specification specification = new(null, []);
        if (options.Annotate && options.Catalog is not null)
        {
            progress?.Report("comprehension: intent specification");
            specification = await stages.SpecifyAsync(request, cancellation).ConfigureAwait(false);
        }

        var hooks = specification.Spec?.Events.SelectMany(e => e.Hooks).Select(h => h.AttachPoint).ToList() ?? [];
        // The store's C examples most like the request (its bpftrace examples are never shown to the C loop).
        IReadOnlyList<Examples.ExampleMatch> examples = options.Store?.Search(request, options.ExampleCount, Examples.Example.C) ?? [];
        var feedback = new List<Feedback>();
        var attempts = ImmutableArray.CreateBuilder<Attempt>();
        string? lastCandidate = null;
        (int Attempt, string Program)? failed = null;
        for (var number = 1; number <= options.Tries; number++)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report($"attempt {number}/{options.Tries}: synthesis (C)");
            var prompt = CPrompter.Build(request, examples, feedback, options.Catalog, hooks, options.Contracts, failed);
            Attempt attempt;
            try
            {
                attempt = await AttemptAsync(number, prompt, progress, cancellation).ConfigureAwait(false);
            }
            catch (ModelProviderException e)
            {
                attempts.Add(new Attempt(number, prompt, string.Empty, null, null, null, null, null, null,
                    [new Feedback(number, "model provider", e.Message, null, null)], [], [], null, null));
                throw e.WithPartial(new SynthesisResult.GaveUp(request, options.ModelName, attempts.ToImmutable(), lastCandidate) { SpecNotes = specification.Notes });
            }

            attempts.Add(attempt);
            lastCandidate = attempt.Candidate ?? lastCandidate;
            if (attempt.Feedback.IsEmpty && attempt.Candidate is { } program)
            {
                // The specification chose the hooks the prompt describes; nothing was checked against it, so the result does not carry it.
                return new SynthesisResult.Succeeded(request, options.ModelName, attempts.ToImmutable(), program, null, null) { SpecNotes = specification.Notes };
            }

            feedback.AddRange(attempt.Feedback);
            failed = attempt.Candidate is { } shown ? (number, shown) : failed;
        }

        return new SynthesisResult.GaveUp(request, options.ModelName, attempts.ToImmutable(), lastCandidate) { SpecNotes = specification.Notes };
    }

    private async Task<Attempt> AttemptAsync(int number, Prompt prompt, IProgress<string>? progress, CancellationToken cancellation)
    {
        var timings = ImmutableArray.CreateBuilder<StageTiming>();
        var clock = Stopwatch.StartNew();
        // The reply as it came: reading it as bpftrace (what SynthesizeAsync does) would parse C for nothing.
        var (reply, inputTokens, outputTokens) = await stages.AskAsync(prompt, cancellation).ConfigureAwait(false);
        timings.Add(new StageTiming("synthesis", clock.Elapsed));
        var text = CCandidateExtractor.Extract(reply);
        Attempt Done(IEnumerable<Feedback> problems, LoadVerdict? load = null, params string[] notes) =>
            new(number, prompt, reply, text, null, null, null, null, load, [.. problems], [.. notes], timings.ToImmutable(), inputTokens, outputTokens);

        if (text is null)
        {
            var said = reply.ReplaceLineEndings(" ").Trim();
            said = said.Length > 200 ? said[..200] + "…" : said;
            return Done([new Feedback(number, "synthesis", said.Length == 0 ? "the reply was empty" : $"the reply contained no libbpf C program (it said: {said})",
                null, "answer with one program in a ```c block, with its handler in a SEC(\"tp/CATEGORY/EVENT\") section")]);
        }

        var source = new SourceText(text, "candidate.bpf.c");
        progress?.Report($"attempt {number}/{options.Tries}: clang");
        clock.Restart();
        using var build = ClangCompiler.Compile(source);
        timings.Add(new StageTiming("clang", clock.Elapsed));
        if (build.Problem is { } missing)
        {
            // Not the program's fault: no retry can fix a missing toolchain.
            throw new Toolchain.CToolchainException($"C programs cannot be built here: {missing}");
        }

        progress?.Report($"attempt {number}/{options.Tries}: semantic check");
        clock.Restart();
        var check = CProgramChecker.Check(build, options.Catalog, Safety.SafetyAllowance.None);
        timings.Add(new StageTiming("semantic check", clock.Elapsed));
        if (check.HasErrors)
        {
            return Done(check.Errors.Take(5).Select(d => Feedback.From(number, StageName(d), d, source)));
        }

        if (!options.VerifyInKernel)
        {
            return Done([], null, NotProvedNote);
        }

        cancellation.ThrowIfCancellationRequested();
        progress?.Report($"attempt {number}/{options.Tries}: kernel verifier");
        clock.Restart();
        var load = CKernelLoader.Verify(build, new CVerifyOptions(Catalog: options.Catalog), cancellation, check);
        timings.Add(new StageTiming("kernel verifier", clock.Elapsed));
        if (load is LoadVerdict.Rejected rejected)
        {
            var line = rejected.Span is { } span ? source.GetLinePosition(span.Start).Line : (int?)null;
            return Done([new Feedback(number, $"kernel verifier ({LoadDiagnostics.Stage(rejected.Stage)})",
                rejected.Verifier is { } v ? $"{rejected.Message}; the verifier says: {v.Message}" + (v.Instruction is null ? string.Empty : $" at instruction {v.Instruction}") : rejected.Message,
                null, rejected.Hint).At(source, line, LoadDiagnostics.ToDiagnostic(rejected).Code)], load);
        }

        return Done([], load, NotProvedNote);
    }

    private static string StageName(Bpftrace.Diagnostics.Diagnostic diagnostic) => CKernelLoader.StageOf(diagnostic) switch
    {
        LoadStage.Parse => "clang",
        LoadStage.Policy => "safety policy",
        _ when diagnostic.Code is "KG8001" or "KG8002" => "clang",
        _ => "semantic check",
    };
}
