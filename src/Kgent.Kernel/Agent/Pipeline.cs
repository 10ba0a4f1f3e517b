using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Safety;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Agent;

/// <summary>
/// The paper's stages as functions, each from an input record to a result record, all with one session's model and
/// what it checks against (<see cref="SynthesisOptions"/>): retrieve, prompt, synthesize, check, specify, comprehend,
/// check the intent, verify symbolically, verify in the kernel, run. <see cref="SynthesisLoop"/> composes them; a
/// notebook cell or a command calls one of them, so each gives what the loop would.
/// </summary>
public sealed class Pipeline(IChatClient model, SynthesisOptions options)
{
    private (string Request, IReadOnlyList<string> Hooks)? requestHooks;

    public IChatClient Model { get; } = model;

    public SynthesisOptions Options { get; } = options;

    /// <summary>The examples most like the request: hybrid (BM25 and the embedding's cosine) with an embeddings model, else BM25.</summary>
    public async Task<Retrieval> RetrieveAsync(string request, CancellationToken cancellation = default)
    {
        var vector = await EmbedAsync(request, cancellation).ConfigureAwait(false);
        return new Retrieval(request, vector, [.. Options.Store?.SearchHybrid(request, vector, Options.ExampleCount) ?? []]);
    }

    /// <summary>The prompt: the boilerplate for the target release, the request, the examples (in the target's dialect),
    /// every feedback so far, and what this host can attach.</summary>
    /// <remarks>The hooks whose fields the prompt gives are those the offline reader's specification of the request names,
    /// then the examples': the same in the loop and in a notebook's prompt cell, and no model call.</remarks>
    public Prompt Prompt(string request, IReadOnlyList<Examples.ExampleMatch> examples, IReadOnlyList<Feedback> feedback,
        (int Attempt, string Program)? failed = null) =>
        Prompter.Build(request, examples, feedback, Options.Catalog, Options.TargetVersion, RequestHooks(request), Options.Contracts, failed);

    /// <summary>The hooks the offline reader's specification of the request names, read once per request (every attempt
    /// of a synthesis prompts for the same request).</summary>
    private IReadOnlyList<string>? RequestHooks(string request)
    {
        if (Options.Catalog is not { } catalog)
        {
            return null;
        }

        if (requestHooks is not { } known || known.Request != request)
        {
            known = (request, [.. Intent.OfflineIntentReader.Read(request, catalog).Events.SelectMany(e => e.Hooks.Select(h => h.AttachPoint))]);
            requestHooks = known;
        }

        return known.Hooks;
    }

    /// <summary>Asks the model for a program and takes it out of the reply.</summary>
    /// <exception cref="ModelProviderException">The provider failed after its retries.</exception>
    public async Task<Synthesis> SynthesizeAsync(Prompt prompt, CancellationToken cancellation = default)
    {
        var (reply, input, output) = await AskAsync(prompt, cancellation).ConfigureAwait(false);
        var extracted = CandidateExtractor.Extract(reply);
        return new Synthesis(prompt, reply, extracted is null ? null : new Candidate(extracted.Parse), extracted?.CandidatesInReply ?? 0, input, output);
    }

    /// <summary>Sends the prompt (its boilerplate as the system message) and returns the reply as it came, with the token
    /// counts the provider reports: what a loop for another language takes its program from.</summary>
    /// <exception cref="ModelProviderException">The provider failed after its retries.</exception>
    public async Task<(string Reply, long? InputTokens, long? OutputTokens)> AskAsync(Prompt prompt, CancellationToken cancellation = default)
    {
        var response = await Model.GetResponseAsync(
            [new ChatMessage(ChatRole.System, prompt.Boilerplate), new ChatMessage(ChatRole.User, prompt.UserMessage)], cancellationToken: cancellation).ConfigureAwait(false);
        return (response.Text ?? string.Empty, response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
    }

    /// <summary>The semantic check against the kernel catalog and the target release (with the safety policy; a
    /// synthesized program is never allowed an unsafe builtin).</summary>
    public CheckResult Check(Candidate candidate, SafetyAllowance? allowed = null) =>
        SemanticChecker.Check(candidate.Parse, Options.Catalog ?? throw new InvalidOperationException("the check needs a kernel catalog"),
            (allowed is null ? CheckOptions.Default : new CheckOptions(allowed)) with { TargetVersion = Options.TargetVersion });

    /// <summary>The safety policy's review of a candidate (macros and headers expanded).</summary>
    public static SafetyReview Review(Candidate candidate) => SafetyPolicy.Review(candidate.Parse);

    /// <summary>The request's intent specification, read once: from the producer (the model by default); a reply that
    /// stays unusable after its feedback round, or a provider failure, falls back to the offline reader, and the notes say so.</summary>
    public async Task<Specification> SpecifyAsync(string request, CancellationToken cancellation = default)
    {
        if (Options.Catalog is not { } catalog)
        {
            return new Specification(null, []);
        }

        var producer = Options.Intent ?? new ModelIntentProducer(Model, Options.ModelName);
        IntentReading reading;
        try
        {
            reading = await producer.ReadAsync(request, catalog, cancellation).ConfigureAwait(false);
        }
        catch (ModelProviderException e)
        {
            // The provider's failure is reported where synthesis asks it next, with the transcript; the specification
            // does not need the model.
            return new Specification(OfflineIntentReader.Read(request, catalog),
                [$"the model could not be asked for the intent specification ({e.Message}); the {OfflineIntentReader.Name}'s was used instead"]);
        }

        if (reading.Spec is { } spec)
        {
            return new Specification(spec, []);
        }

        return new Specification(OfflineIntentReader.Read(request, catalog),
            [$"the {reading.Producer}'s intent specification did not follow the schema after feedback ({string.Join("; ", reading.Problems.Take(5))}); " +
                $"the {OfflineIntentReader.Name}'s was used instead"]);
    }

    /// <summary>Asks the model to annotate the candidate with assume/assert. The answer is kept only if stripping its
    /// annotations gives back the candidate (the comprehension engine must not change the program).</summary>
    public async Task<Comprehension> ComprehendAsync(Candidate candidate, CancellationToken cancellation = default)
    {
        var response = await Model.GetResponseAsync(
            [new ChatMessage(ChatRole.System, ComprehensionPrompt.Boilerplate), new ChatMessage(ChatRole.User, ComprehensionPrompt.Build(candidate.Parse, Options.Contracts))],
            cancellationToken: cancellation).ConfigureAwait(false);
        var reply = response.Text ?? string.Empty;
        if (CandidateExtractor.Extract(reply) is not { HasSyntaxErrors: false } extracted)
        {
            return new Comprehension(reply, null, "the reply held no annotated program");
        }

        if (AnnotationStripper.CountAnnotations(extracted.Parse.Program) == 0)
        {
            return new Comprehension(reply, null, "no assume/assert was added");
        }

        var original = BpftracePrinter.Print(candidate.Parse.Program with { Comments = [] });
        var stripped = BpftracePrinter.Print(AnnotationStripper.Strip(extracted.Parse.Program) with { Comments = [] });
        return original != stripped
            ? new Comprehension(reply, null, "the annotated program differs from the candidate beyond annotations; it was not used")
            : new Comprehension(reply, extracted.Program, null);
    }

    /// <summary>The annotation from the kernel contracts alone (the offline comprehension engine).</summary>
    public string AnnotateFromContracts(Candidate candidate) => OfflineAnnotator.Annotate(candidate.Text, Options.Contracts, Options.Catalog);

    /// <summary>The intent check: every obligation of the specification, and the annotations' assertions, proved or refuted
    /// (the symbolic verifier runs once for both). <paramref name="annotated"/> is the comprehension engine's program.</summary>
    public IntentReport CheckIntent(IntentSpec spec, Candidate candidate, string? annotated = null) =>
        IntentChecker.Check(spec, candidate.Parse, Options.Catalog ?? throw new InvalidOperationException("the intent check needs a kernel catalog"),
            Options.Contracts, new SymbolicOptions(Options.Contracts) { TargetVersion = Options.TargetVersion }, annotated);

    /// <summary>Symbolic verification of an annotated program's assertions under its assumptions and the contracts.</summary>
    /// <exception cref="SolverUnavailableException">Z3 cannot be loaded.</exception>
    public SymbolicResult VerifySymbolically(Candidate annotated) =>
        SymbolicVerifier.Verify(annotated.Parse, Options.Catalog, new SymbolicOptions(Options.Contracts));

    /// <summary>The kernel verifier: load-only through the session's bpftrace.</summary>
    public LoadVerdict VerifyInKernel(Candidate candidate, CancellationToken cancellation = default) =>
        Options.KernelLoad is { } load ? load(candidate.Parse)
            : KernelLoader.Verify(candidate.Parse, new VerifyOptions(Catalog: Options.Catalog, BpftracePath: Options.Bpftrace), cancellation);

    /// <summary>Runs the program through the session's bpftrace.</summary>
    public RunResult Run(Candidate candidate, RunOptions run, CancellationToken cancellation = default) =>
        ProgramRunner.Run(candidate.Parse, run with { Verify = (run.Verify ?? VerifyOptions.Default) with { Catalog = Options.Catalog, BpftracePath = run.Verify?.BpftracePath ?? Options.Bpftrace } },
            cancellation);

    /// <summary>The request's embedding, or null without an embeddings model (or when it fails: retrieval falls back to BM25).</summary>
    private async Task<ReadOnlyMemory<float>?> EmbedAsync(string request, CancellationToken cancellation)
    {
        if (Options.Embeddings is not { } generator)
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
}
