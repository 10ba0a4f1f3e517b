using System.Collections.Immutable;
using System.Diagnostics;
using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Agent;

/// <summary>The paper's loop: prompt → synthesis → parse → semantic check → comprehension (assume/assert from the
/// contracts, and once per request the intent specification) → symbolic verifier (the assertions and every obligation
/// of the specification) → kernel verifier (load-only). Any failure becomes feedback for the next prompt, up to
/// <see cref="SynthesisOptions.Tries"/>; on success the annotations are stripped and, when it was verified (or the
/// verifiers were off), the program is added to the example store with its provenance. Unsafe programs never reach the kernel.</summary>
public sealed class SynthesisLoop(IChatClient model, SynthesisOptions options) : ISynthesisLoop
{
    /// <summary>The stages the loop composes, with its model and options: what a notebook cell or a command calls one by one.</summary>
    public Pipeline Stages { get; } = new(model, options);

    public async Task<SynthesisResult> RunAsync(string request, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        request = SynthesisRequest.Normalize(request);

        var retrieval = await Stages.RetrieveAsync(request, cancellation).ConfigureAwait(false);
        var (spec, specNotes) = await SpecifyAsync(request, progress, cancellation).ConfigureAwait(false);
        if (spec is not null && IntentChecker.MayAskSolver(spec))
        {
            // Z3 and the BTF get ready on the other core while the model writes the candidate.
            Symbolic.SolverWarmUp.Start(options.Catalog);
        }
        var feedback = new List<Feedback>();
        var attempts = ImmutableArray.CreateBuilder<Attempt>();
        string? lastCandidate = null;
        (int Attempt, string Program)? failed = null;
        for (var number = 1; number <= options.Tries; number++)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report($"attempt {number}/{options.Tries}: synthesis");
            Attempt attempt;
            Candidate? candidate;
            try
            {
                (attempt, candidate) = await AttemptAsync(number, request, spec, retrieval.Examples, feedback, failed, progress, cancellation).ConfigureAwait(false);
            }
            catch (ModelProviderException e)
            {
                // The provider already retried; the loop stops, and the caller still gets every attempt for its transcript.
                var prompt = Stages.Prompt(request, retrieval.Examples, feedback, failed);
                attempts.Add(new Attempt(number, prompt, string.Empty, null, null, null, null, null, null,
                    [new Feedback(number, "model provider", e.Message, null, null)], [], [], null, null));
                throw e.WithPartial(new SynthesisResult.GaveUp(request, options.ModelName, attempts.ToImmutable(), lastCandidate) { Spec = spec, SpecNotes = specNotes });
            }

            attempts.Add(attempt);
            lastCandidate = attempt.Candidate ?? lastCandidate;
            if (attempt.Feedback.IsEmpty && candidate is not null)
            {
                cancellation.ThrowIfCancellationRequested();
                var final = AnnotationStripper.StripText(candidate.Parse);
                // Only what was verified (or what no verifier was asked to check) grows the example store.
                var learn = options.Learn && (!options.Annotate || attempt.IsVerified);
                var id = learn ? options.Store?.Add(Example.New(request, final, $"synthesis:{options.ModelName}:{DateTimeOffset.UtcNow:O}")).Id : null;
                if (id is { } stored && retrieval.Embedding is { } embedding)
                {
                    options.Store!.SetEmbedding(stored, embedding.Span);
                }

                return new SynthesisResult.Succeeded(request, options.ModelName, attempts.ToImmutable(), final, attempt.Annotated, id) { Spec = spec, SpecNotes = specNotes };
            }

            feedback.AddRange(attempt.Feedback);
            // The next prompt shows this program with its diagnostics under their lines.
            failed = attempt.Candidate is { } program ? (number, program) : failed;
        }

        return new SynthesisResult.GaveUp(request, options.ModelName, attempts.ToImmutable(), lastCandidate) { Spec = spec, SpecNotes = specNotes };
    }

    /// <summary>The candidate repaired, when it has errors and each has a fix that keeps its meaning (see
    /// <see cref="Repair.ProgramRepairer"/>); null otherwise. <paramref name="check"/> is the attempt's semantic check,
    /// which keeps its last result, so the check stage that follows does not check the same program again.</summary>
    private Repair.RepairOutcome? RepairOf(Candidate candidate, Func<Candidate, CheckResult> check)
    {
        IReadOnlyList<Bpftrace.Diagnostics.Diagnostic> ErrorsOf(Candidate c) =>
            c.Parse.HasErrors ? [.. c.Parse.Errors] : options.Catalog is null ? [] : [.. check(c).Errors];
        return ErrorsOf(candidate).Count == 0
            ? null
            : Repair.ProgramRepairer.Repair(candidate, ErrorsOf, options.TargetVersion ?? Bpftrace.Language.BpftraceLanguage.DefaultTarget, options.Catalog);
    }

    /// <summary>The request's intent specification, read once (when the loop comprehends and has a catalog).</summary>
    private async Task<(IntentSpec? Spec, ImmutableArray<string> Notes)> SpecifyAsync(string request, IProgress<string>? progress, CancellationToken cancellation)
    {
        if (!options.Annotate || options.Catalog is null)
        {
            return (null, []);
        }

        progress?.Report("comprehension: intent specification");
        var specification = await Stages.SpecifyAsync(request, cancellation).ConfigureAwait(false);
        return (specification.Spec, specification.Notes);
    }

    private async Task<(Attempt Attempt, Candidate? Candidate)> AttemptAsync(int number, string request, IntentSpec? spec, IReadOnlyList<ExampleMatch> examples,
        IReadOnlyList<Feedback> feedback, (int Attempt, string Program)? failed, IProgress<string>? progress, CancellationToken cancellation)
    {
        var timings = ImmutableArray.CreateBuilder<StageTiming>();
        var notes = ImmutableArray.CreateBuilder<string>();
        var prompt = Stages.Prompt(request, examples, feedback, failed);
        var clock = Stopwatch.StartNew();
        var synthesis = await Stages.SynthesizeAsync(prompt, cancellation).ConfigureAwait(false);
        timings.Add(new StageTiming("synthesis", clock.Elapsed));
        var reply = synthesis.Reply;

        IntentReport? intent = null;
        var candidate = synthesis.Candidate;
        ImmutableArray<Repair.RepairStep> repairs = [];
        (Attempt, Candidate?) Done(IEnumerable<Feedback> problems, CheckResult? check = null, string? comprehension = null, string? annotated = null,
            SymbolicResult? symbolic = null, LoadVerdict? load = null) =>
            (new(number, prompt, reply, candidate?.Text, check, comprehension, annotated, symbolic, load, [.. problems], notes.ToImmutable(), timings.ToImmutable(),
                synthesis.InputTokens, synthesis.OutputTokens, intent) { Repairs = repairs }, candidate);

        if (candidate is null)
        {
            var said = reply.ReplaceLineEndings(" ").Trim();
            said = said.Length > 200 ? said[..200] + "…" : said;
            return Done([new Feedback(number, "synthesis", said.Length == 0 ? "the reply was empty" : $"the reply contained no bpftrace program (it said: {said})",
                null, "answer with one program in a ```bpftrace block")]);
        }

        // The semantic check of a program, made once: the repair stage and the check stage below share it.
        (Candidate For, CheckResult Result, TimeSpan Took)? lastCheck = null;
        CheckResult CheckOnce(Candidate c)
        {
            if (lastCheck is { } done && ReferenceEquals(done.For, c))
            {
                return done.Result;
            }

            var watch = Stopwatch.StartNew();
            var result = Stages.Check(c);
            lastCheck = (c, result, watch.Elapsed);
            return result;
        }

        // Errors with one meaning-preserving fix each are repaired here, and the repaired program goes on, instead of a retry.
        if (options.Repair && RepairOf(candidate, CheckOnce) is { } repaired)
        {
            candidate = repaired.Candidate;
            repairs = repaired.Steps;
            notes.AddRange(repairs.Select(r => r.ToString()));
        }

        var parse = candidate.Parse;
        // Synthesized programs are never allowed an unsafe builtin, however it is reached (a call, a macro, a header).
        if (Pipeline.Review(candidate) is { IsSafe: false } review)
        {
            return Done([.. (review.Refused.Any() ? review.Refused.Select(v => new Feedback(number, "safety policy",
                    $"{v.Message}: Kgent never runs generated programs that call system(), signal(), override() or cat()", null,
                    "trace and report; do not act on the system or read its files").At(parse.Source, Line(parse, v.Span.Start),
                    v.Builtin.NeedsUnsafeFlag ? SemanticDiagnostics.UnsafeFunction.Code : SemanticDiagnostics.FileAccess.Code))
                : [new Feedback(number, "safety policy", review.Reason!, null, "write the program without macros") { Code = SemanticDiagnostics.UnsafeFunction.Code }])]);
        }

        if (parse.HasErrors)
        {
            return Done(parse.Errors.Take(5).Select(d => Feedback.From(number, "parse", d, parse.Source)));
        }

        CheckResult? check = null;
        if (options.Catalog is not null)
        {
            progress?.Report($"attempt {number}/{options.Tries}: semantic check");
            check = CheckOnce(candidate);
            timings.Add(new StageTiming("semantic check", lastCheck!.Value.Took));
            if (check.HasErrors)
            {
                return Done(check.Errors.Take(5).Select(d => Feedback.From(number, "semantic check", d, parse.Source)), check);
            }
        }

        string? comprehension = null;
        string? annotated = null;
        SymbolicResult? symbolic = null;
        if (options.Annotate)
        {
            progress?.Report($"attempt {number}/{options.Tries}: comprehension");
            clock.Restart();
            var comprehended = await Stages.ComprehendAsync(candidate, cancellation).ConfigureAwait(false);
            (comprehension, annotated) = (comprehended.Reply, comprehended.Annotated);
            if (comprehended.WhyNot is { } whyNot)
            {
                notes.Add($"comprehension: {whyNot}; {(spec is null ? "symbolic verification skipped" : "the intent check annotates it from the contracts")}");
            }

            timings.Add(new StageTiming("comprehension", clock.Elapsed));
            if (spec is not null && options.Catalog is not null)
            {
                // The intent check runs the symbolic verifier once for the annotations' assertions and every obligation.
                progress?.Report($"attempt {number}/{options.Tries}: symbolic verification against the request");
                clock.Restart();
                intent = Stages.CheckIntent(spec, candidate, annotated);
                symbolic = intent.Symbolic;
                timings.Add(new StageTiming("symbolic verifier", clock.Elapsed));
                foreach (var warning in intent.Warnings)
                {
                    notes.Add(warning);
                }

                // A Z3 counterexample first: it is the most precise feedback (the values that show the bug).
                var refuted = intent.Refuted.OrderBy(r => r.Obligation.Kind == ObligationKind.Assertion ? 0 : 1).ToList();
                if (refuted.Count > 0)
                {
                    return Done(refuted.Select(r => IntentFeedback(number, r, symbolic).At(parse.Source, r.Line)), check, comprehension, annotated ?? intent.Annotated, symbolic);
                }

                foreach (var undecided in intent.Results.Where(r => r.Outcome == ObligationOutcome.Unknown))
                {
                    notes.Add(undecided.Message);
                }

                annotated ??= intent.Annotated;
            }
            else if (annotated is not null)
            {
                progress?.Report($"attempt {number}/{options.Tries}: symbolic verification");
                clock.Restart();
                try
                {
                    symbolic = Stages.VerifySymbolically(Candidate.Of(annotated, "annotated.bt"));
                    timings.Add(new StageTiming("symbolic verifier", clock.Elapsed));
                }
                catch (SolverUnavailableException e)
                {
                    notes.Add($"symbolic verification skipped: {e.Message}");
                }

                var failures = symbolic?.Assertions.Where(a => a.Verdict is SymbolicVerdict.Counterexample).ToList() ?? [];
                if (failures.Count > 0)
                {
                    return Done(failures.Select(f => CounterexampleFeedback(number, f)), check, comprehension, annotated, symbolic);
                }

                foreach (var undecided in symbolic?.Failures ?? [])
                {
                    notes.Add($"line {undecided.Position.Line}: assert({undecided.Text}) is {undecided.Verdict.Kind.ToString().ToLowerInvariant()}");
                }
            }
        }

        LoadVerdict? load = null;
        if (options.VerifyInKernel)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report($"attempt {number}/{options.Tries}: kernel verifier");
            clock.Restart();
            load = Stages.VerifyInKernel(candidate, cancellation);
            cancellation.ThrowIfCancellationRequested();
            timings.Add(new StageTiming("kernel verifier", clock.Elapsed));
            if (load is LoadVerdict.Rejected rejected)
            {
                return Done([new Feedback(number, $"kernel verifier ({LoadDiagnostics.Stage(rejected.Stage)})",
                    rejected.Verifier is { } v ? $"{rejected.Message}; the verifier says: {v.Message}" : rejected.Message, null, rejected.Hint)
                    .At(parse.Source, rejected.Span is { } span ? Line(parse, span.Start) : null, LoadDiagnostics.ToDiagnostic(rejected).Code)],
                    check, comprehension, annotated, symbolic, load);
            }
        }

        return Done([], check, comprehension, annotated, symbolic, load);
    }

    /// <summary>A refuted obligation as feedback: what the request asks (its words), what the program does, the line.
    /// An assertion keeps today's counterexample wording and the contract's note.</summary>
    internal static Feedback IntentFeedback(int number, ObligationResult result, SymbolicResult? symbolic)
    {
        if (result.Obligation.Kind == ObligationKind.Assertion
            && symbolic?.Assertions.FirstOrDefault(a => a.Text == result.Obligation.Condition && a.Verdict is SymbolicVerdict.Counterexample) is { } failure)
        {
            return CounterexampleFeedback(number, failure) with { Line = result.Line };
        }

        return new Feedback(number, "intent check", result.Message.Replace($" (line {result.Line})", string.Empty, StringComparison.Ordinal), result.Line,
            result.Obligation.Kind switch
            {
                ObligationKind.Filter => $"make the predicate or the if-condition equivalent to {result.Obligation.Condition}",
                ObligationKind.Hook => "attach to a hook that observes what the request names",
                ObligationKind.Key => "key the map by what the request names",
                ObligationKind.Field => "print what the request asks to see",
                ObligationKind.Latency => "store the start time keyed by what identifies the same thread or request at both ends, and convert nanoseconds to the asked unit",
                ObligationKind.Computation => "use the aggregation the request asks for",
                _ => null,
            }) { Code = IntentDiagnostics.ObligationRefuted.Code };
    }

    private static Feedback CounterexampleFeedback(int number, AssertionResult failure)
    {
        var counterexample = (SymbolicVerdict.Counterexample)failure.Verdict;
        var message = $"assert({failure.Text}) can fail: {counterexample.Explanation}";
        return new Feedback(number, "symbolic verifier", message, failure.Position.Line,
            counterexample.Notes.IsEmpty ? null : "the kernel contract says: " + string.Join("; ", counterexample.Notes)) { Code = SymbolicDiagnostics.AssertionCanFail.Code };
    }

    private static int Line(ParseResult parse, int offset) => parse.Source.GetLinePosition(offset).Line;
}

/// <summary>The request itself cannot be synthesized from (empty, too long): the message says what to change.</summary>
public sealed class SynthesisRequestException(string message) : Exception(message);
