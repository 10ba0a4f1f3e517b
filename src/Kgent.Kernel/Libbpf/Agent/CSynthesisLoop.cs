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
/// <see cref="SynthesisOptions.Tries"/>. The same result records as the bpftrace loop. With a specification, the program
/// is read as the bpftrace program that does the same (<see cref="Lowering.CLowering"/>) and the intent check decides
/// every obligation on it, on the C lines; a refuted obligation is feedback. Its verdict is honest: a program that uses a
/// construct Kgent does not model is returned as "not checked", never as verified. C programs are not added to the
/// example store.</summary>
public sealed class CSynthesisLoop(IChatClient model, SynthesisOptions options) : ISynthesisLoop
{
    /// <summary>The start of the note on a program that was not checked against the request.</summary>
    public const string NotProvedNote = "not checked against the request";

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
                attempt = await AttemptAsync(number, prompt, specification.Spec, progress, cancellation).ConfigureAwait(false);
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
                // The result carries the specification only when the program was checked against it.
                return new SynthesisResult.Succeeded(request, options.ModelName, attempts.ToImmutable(), program, null, null)
                {
                    SpecNotes = specification.Notes,
                    Spec = attempt.Intent is null ? null : specification.Spec,
                };
            }

            feedback.AddRange(attempt.Feedback);
            failed = attempt.Candidate is { } shown ? (number, shown) : failed;
        }

        return new SynthesisResult.GaveUp(request, options.ModelName, attempts.ToImmutable(), lastCandidate) { SpecNotes = specification.Notes };
    }

    private async Task<Attempt> AttemptAsync(int number, Prompt prompt, Intent.IntentSpec? spec, IProgress<string>? progress, CancellationToken cancellation)
    {
        var timings = ImmutableArray.CreateBuilder<StageTiming>();
        var clock = Stopwatch.StartNew();
        // The reply as it came: reading it as bpftrace (what SynthesizeAsync does) would parse C for nothing.
        var (reply, inputTokens, outputTokens) = await stages.AskAsync(prompt, cancellation).ConfigureAwait(false);
        timings.Add(new StageTiming("synthesis", clock.Elapsed));
        var text = CCandidateExtractor.Extract(reply);
        Intent.IntentReport? intent = null;
        var notes = new List<string>();
        Attempt Done(IEnumerable<Feedback> problems, LoadVerdict? load = null) =>
            new(number, prompt, reply, text, null, null, null, null, load, [.. problems], [.. notes], timings.ToImmutable(), inputTokens, outputTokens, intent);

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

        if (spec is not null && options.Catalog is { } catalog)
        {
            progress?.Report($"attempt {number}/{options.Tries}: symbolic verification against the request");
            clock.Restart();
            var (checkedIntent, why) = CheckIntent(build, spec, catalog);
            timings.Add(new StageTiming("symbolic verifier", clock.Elapsed));
            if (checkedIntent is null)
            {
                notes.Add($"{NotProvedNote}: {why}");
            }
            else
            {
                intent = checkedIntent;
                notes.AddRange(intent.Warnings);
                var refuted = intent.Refuted.OrderBy(r => r.Obligation.Kind == Intent.ObligationKind.Assertion ? 0 : 1).ToList();
                if (refuted.Count > 0)
                {
                    return Done(refuted.Select(r => SynthesisLoop.IntentFeedback(number, r, intent.Symbolic).At(source, r.Line)));
                }

                notes.AddRange(intent.Results.Where(r => r.Outcome == Intent.ObligationOutcome.Unknown).Select(r => r.Message));
            }
        }
        else
        {
            notes.Add($"{NotProvedNote}: the loop had no specification of the request to check it against");
        }

        if (!options.VerifyInKernel)
        {
            return Done([]);
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

        return Done([], load);
    }

    /// <summary>The intent check on the program's lowering, or why it was not made (a construct Kgent does not model).</summary>
    private (Intent.IntentReport? Report, string? Problem) CheckIntent(CBuild build, Intent.IntentSpec spec, KernelInfo.Catalog.ProbeCatalog catalog)
    {
        var lowered = Lowering.CLowering.Lower(build, catalog);
        if (lowered.Problems.FirstOrDefault() is { } problem)
        {
            return (null, $"line {build.Source.GetLinePosition(problem.Span.Start).Line}: {problem.Message}");
        }

        try
        {
            return Symbolic.CSymbolicVerifier.CheckIntent(spec, lowered, catalog, options.Contracts,
                new Kgent.Kernel.Symbolic.SymbolicOptions(options.Contracts) { TargetVersion = options.TargetVersion });
        }
        catch (Kgent.Kernel.Symbolic.SolverUnavailableException e)
        {
            return (null, $"the symbolic verifier is unavailable: {e.Message}");
        }
    }

    private static string StageName(Bpftrace.Diagnostics.Diagnostic diagnostic) => CKernelLoader.StageOf(diagnostic) switch
    {
        LoadStage.Parse => "clang",
        LoadStage.Policy => "safety policy",
        _ when diagnostic.Code is "KG8001" or "KG8002" => "clang",
        _ => "semantic check",
    };
}
