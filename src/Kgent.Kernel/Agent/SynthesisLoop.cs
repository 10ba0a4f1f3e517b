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
public sealed class SynthesisLoop(IChatClient model, SynthesisOptions options)
{
    public async Task<SynthesisResult> RunAsync(string request, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        request = (request ?? string.Empty).Trim();
        if (request.Length == 0)
        {
            throw new SynthesisRequestException("the request is empty: describe what to trace, e.g. \"count file opens by process\"");
        }

        if (request.Length > SynthesisOptions.MaxRequestLength)
        {
            throw new SynthesisRequestException($"the request is {request.Length:N0} characters long; keep it under {SynthesisOptions.MaxRequestLength:N0}");
        }

        var vector = await EmbedAsync(request, cancellation).ConfigureAwait(false);
        var (spec, specNotes) = await SpecifyAsync(request, progress, cancellation).ConfigureAwait(false);
        var examples = options.Store?.SearchHybrid(request, vector, options.ExampleCount) ?? [];
        var feedback = new List<Feedback>();
        var attempts = ImmutableArray.CreateBuilder<Attempt>();
        string? lastCandidate = null;
        for (var number = 1; number <= options.Tries; number++)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report($"attempt {number}/{options.Tries}: synthesis");
            Attempt attempt;
            try
            {
                attempt = await AttemptAsync(number, request, spec, examples, feedback, progress, cancellation).ConfigureAwait(false);
            }
            catch (ModelProviderException e)
            {
                // The provider already retried; the loop stops, and the caller still gets every attempt for its transcript.
                var prompt = Prompter.Build(request, examples, feedback, options.Catalog, options.TargetVersion);
                attempts.Add(new Attempt(number, prompt, string.Empty, null, null, null, null, null, null,
                    [new Feedback(number, "model provider", e.Message, null, null)], [], [], null, null));
                throw e.WithPartial(new SynthesisResult.GaveUp(request, options.ModelName, attempts.ToImmutable(), lastCandidate) { Spec = spec, SpecNotes = specNotes });
            }

            attempts.Add(attempt);
            lastCandidate = attempt.Candidate ?? lastCandidate;
            if (attempt.Feedback.IsEmpty && attempt.Candidate is { } program)
            {
                cancellation.ThrowIfCancellationRequested();
                var final = AnnotationStripper.StripText(BpftraceParser.Parse(program, "candidate.bt"));
                var annotated = attempt.Annotated;
                // Only what was verified (or what no verifier was asked to check) grows the example store.
                var learn = options.Learn && (!options.Annotate || attempt.IsVerified);
                var id = learn ? options.Store?.Add(Example.New(request, final, $"synthesis:{options.ModelName}:{DateTimeOffset.UtcNow:O}")).Id : null;
                if (id is { } stored && vector is { } embedding)
                {
                    options.Store!.SetEmbedding(stored, embedding.Span);
                }
                return new SynthesisResult.Succeeded(request, options.ModelName, attempts.ToImmutable(), final, annotated, id) { Spec = spec, SpecNotes = specNotes };
            }

            feedback.AddRange(attempt.Feedback);
        }

        return new SynthesisResult.GaveUp(request, options.ModelName, attempts.ToImmutable(), lastCandidate) { Spec = spec, SpecNotes = specNotes };
    }

    /// <summary>The request's intent specification, read once: from the producer (the model by default); a reply that
    /// stays unusable after its feedback round falls back to the offline reader, and the notes say so.</summary>
    private async Task<(IntentSpec? Spec, ImmutableArray<string> Notes)> SpecifyAsync(string request, IProgress<string>? progress, CancellationToken cancellation)
    {
        if (!options.Annotate || options.Catalog is null)
        {
            return (null, []);
        }

        progress?.Report("comprehension: intent specification");
        var producer = options.Intent ?? new ModelIntentProducer(model, $"{options.ModelName}");
        IntentReading reading;
        try
        {
            reading = await producer.ReadAsync(request, options.Catalog, cancellation).ConfigureAwait(false);
        }
        catch (Providers.ModelProviderException e)
        {
            // The provider's failure is reported where synthesis asks it next, with the transcript; the specification
            // does not need the model.
            return (OfflineIntentReader.Read(request, options.Catalog), [$"the model could not be asked for the intent specification ({e.Message}); the {OfflineIntentReader.Name}'s was used instead"]);
        }

        if (reading.Spec is { } spec)
        {
            return (spec, []);
        }

        var fallback = OfflineIntentReader.Read(request, options.Catalog);
        return (fallback, [$"the {reading.Producer}'s intent specification did not follow the schema after feedback ({string.Join("; ", reading.Problems.Take(5))}); " +
            $"the {OfflineIntentReader.Name}'s was used instead"]);
    }

    /// <summary>The request's embedding, or null without an embeddings model (or when it fails: retrieval falls back to BM25).</summary>
    private async Task<ReadOnlyMemory<float>?> EmbedAsync(string request, CancellationToken cancellation)
    {
        if (options.Embeddings is not { } generator)
        {
            return null;
        }

        try
        {
            return await generator.GenerateVectorAsync(request, cancellationToken: cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<Attempt> AttemptAsync(int number, string request, IntentSpec? spec, IReadOnlyList<ExampleMatch> examples, IReadOnlyList<Feedback> feedback,
        IProgress<string>? progress, CancellationToken cancellation)
    {
        var timings = ImmutableArray.CreateBuilder<StageTiming>();
        var notes = ImmutableArray.CreateBuilder<string>();
        var prompt = Prompter.Build(request, examples, feedback, options.Catalog, options.TargetVersion);
        var clock = Stopwatch.StartNew();
        var response = await model.GetResponseAsync(
            [new ChatMessage(ChatRole.System, prompt.Boilerplate), new ChatMessage(ChatRole.User, prompt.UserMessage)], cancellationToken: cancellation).ConfigureAwait(false);
        timings.Add(new StageTiming("synthesis", clock.Elapsed));
        var reply = response.Text ?? string.Empty;
        long? inputTokens = response.Usage?.InputTokenCount;
        long? outputTokens = response.Usage?.OutputTokenCount;

        IntentReport? intent = null;
        Attempt Done(string? candidate, IEnumerable<Feedback> problems, CheckResult? check = null, string? comprehension = null, string? annotated = null,
            SymbolicResult? symbolic = null, LoadVerdict? load = null) =>
            new(number, prompt, reply, candidate, check, comprehension, annotated, symbolic, load, [.. problems], notes.ToImmutable(), timings.ToImmutable(), inputTokens, outputTokens,
                intent);

        var extracted = CandidateExtractor.Extract(reply);
        if (extracted is null)
        {
            var said = reply.ReplaceLineEndings(" ").Trim();
            said = said.Length > 200 ? said[..200] + "…" : said;
            return Done(null, [new Feedback(number, "synthesis", said.Length == 0 ? "the reply was empty" : $"the reply contained no bpftrace program (it said: {said})",
                null, "answer with one program in a ```bpftrace block")]);
        }

        var candidate = extracted.Program;
        var parse = BpftraceParser.Parse(candidate, "candidate.bt");
        // Synthesized programs are never allowed an unsafe builtin, however it is reached (a call, a macro, a header).
        if (Safety.SafetyPolicy.Review(parse) is { IsSafe: false } review)
        {
            return Done(candidate, [.. (review.Refused.Any() ? review.Refused.Select(v => new Feedback(number, "safety policy",
                    $"{v.Message}: Kgent never runs generated programs that call system(), signal(), override() or cat()", Line(parse, v.Span.Start),
                    "trace and report; do not act on the system or read its files"))
                : [new Feedback(number, "safety policy", review.Reason!, null, "write the program without macros")])]);
        }

        if (parse.HasErrors)
        {
            return Done(candidate, parse.Errors.Take(5).Select(d => new Feedback(number, "parse", d.Message, Line(parse, d.Span.Start), d.Hint)));
        }

        CheckResult? check = null;
        if (options.Catalog is { } catalog)
        {
            progress?.Report($"attempt {number}/{options.Tries}: semantic check");
            clock.Restart();
            check = SemanticChecker.Check(parse, catalog, CheckOptions.Default with { TargetVersion = options.TargetVersion });
            timings.Add(new StageTiming("semantic check", clock.Elapsed));
            if (check.HasErrors)
            {
                return Done(candidate, check.Errors.Take(5).Select(d => new Feedback(number, "semantic check", d.Message, Line(parse, d.Span.Start), d.Hint)), check);
            }
        }

        string? comprehension = null;
        string? annotated = null;
        SymbolicResult? symbolic = null;
        if (options.Annotate)
        {
            progress?.Report($"attempt {number}/{options.Tries}: comprehension");
            clock.Restart();
            (comprehension, annotated) = await AnnotateAsync(parse, notes, spec is null ? "symbolic verification skipped" : "the intent check annotates it from the contracts", cancellation).ConfigureAwait(false);
            timings.Add(new StageTiming("comprehension", clock.Elapsed));
            if (spec is not null && options.Catalog is not null)
            {
                // The intent check runs the symbolic verifier once for the annotations' assertions and every obligation.
                progress?.Report($"attempt {number}/{options.Tries}: symbolic verification against the request");
                clock.Restart();
                intent = IntentChecker.Check(spec, parse, options.Catalog, options.Contracts, new SymbolicOptions(options.Contracts) { TargetVersion = options.TargetVersion }, annotated);
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
                    return Done(candidate, refuted.Select(r => IntentFeedback(number, r, symbolic)), check, comprehension, annotated ?? intent.Annotated, symbolic);
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
                    symbolic = SymbolicVerifier.Verify(BpftraceParser.Parse(annotated, "annotated.bt"), options.Catalog, new SymbolicOptions(options.Contracts));
                    timings.Add(new StageTiming("symbolic verifier", clock.Elapsed));
                }
                catch (SolverUnavailableException e)
                {
                    notes.Add($"symbolic verification skipped: {e.Message}");
                }

                var failures = symbolic?.Assertions.Where(a => a.Verdict is SymbolicVerdict.Counterexample).ToList() ?? [];
                if (failures.Count > 0)
                {
                    return Done(candidate, failures.Select(f => CounterexampleFeedback(number, f)), check, comprehension, annotated, symbolic);
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
            load = (options.KernelLoad ?? (p => KernelLoader.Verify(p, new VerifyOptions(Catalog: options.Catalog, BpftracePath: options.Bpftrace), cancellation)))(parse);
            cancellation.ThrowIfCancellationRequested();
            timings.Add(new StageTiming("kernel verifier", clock.Elapsed));
            if (load is LoadVerdict.Rejected rejected)
            {
                return Done(candidate, [new Feedback(number, $"kernel verifier ({LoadDiagnostics.Stage(rejected.Stage)})",
                    rejected.Verifier is { } v ? $"{rejected.Message}; the verifier says: {v.Message}" : rejected.Message,
                    rejected.Span is { } span ? Line(parse, span.Start) : null, rejected.Hint)], check, comprehension, annotated, symbolic, load);
            }
        }

        return Done(candidate, [], check, comprehension, annotated, symbolic, load);
    }

    /// <summary>Asks the model to annotate the candidate. The answer is kept only if stripping its annotations gives back
    /// the candidate (the comprehension engine must not change the program).</summary>
    /// <param name="otherwise">What happens without the model's annotations, for the note.</param>
    private async Task<(string? Reply, string? Annotated)> AnnotateAsync(ParseResult candidate, ImmutableArray<string>.Builder notes, string otherwise, CancellationToken cancellation)
    {
        var response = await model.GetResponseAsync(
            [new ChatMessage(ChatRole.System, ComprehensionPrompt.Boilerplate), new ChatMessage(ChatRole.User, ComprehensionPrompt.Build(candidate, options.Contracts))],
            cancellationToken: cancellation).ConfigureAwait(false);
        var reply = response.Text ?? string.Empty;
        if (CandidateExtractor.Extract(reply) is not { HasSyntaxErrors: false } extracted)
        {
            notes.Add($"comprehension: the reply held no annotated program; {otherwise}");
            return (reply, null);
        }

        var annotated = BpftraceParser.Parse(extracted.Program, "annotated.bt");
        if (AnnotationStripper.CountAnnotations(annotated.Program) == 0)
        {
            notes.Add($"comprehension: no assume/assert was added; {otherwise}");
            return (reply, null);
        }

        var original = BpftracePrinter.Print(candidate.Program with { Comments = [] });
        var stripped = BpftracePrinter.Print(AnnotationStripper.Strip(annotated.Program) with { Comments = [] });
        if (original != stripped)
        {
            notes.Add($"comprehension: the annotated program differs from the candidate beyond annotations; it was not used ({otherwise})");
            return (reply, null);
        }

        return (reply, extracted.Program);
    }

    /// <summary>A refuted obligation as feedback: what the request asks (its words), what the program does, the line.
    /// An assertion keeps today's counterexample wording and the contract's note.</summary>
    private static Feedback IntentFeedback(int number, ObligationResult result, SymbolicResult? symbolic)
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
            });
    }

    private static Feedback CounterexampleFeedback(int number, AssertionResult failure)
    {
        var counterexample = (SymbolicVerdict.Counterexample)failure.Verdict;
        var message = $"assert({failure.Text}) can fail: {counterexample.Explanation}";
        return new Feedback(number, "symbolic verifier", message, failure.Position.Line,
            counterexample.Notes.IsEmpty ? null : "the kernel contract says: " + string.Join("; ", counterexample.Notes));
    }

    private static int Line(ParseResult parse, int offset) => parse.Source.GetLinePosition(offset).Line;
}

/// <summary>The request itself cannot be synthesized from (empty, too long): the message says what to change.</summary>
public sealed class SynthesisRequestException(string message) : Exception(message);
