using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Evaluation;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;

namespace Kgent.Notebook;

/// <summary>A notebook's Kgent session: a <see cref="Workbench"/> (the catalog, the contracts, which a cell may replace
/// hook by hook, the example store, the configured model) and the last result of every stage, so one stage can be rerun
/// on the current candidate. Each method is one stage: input in, result record out.</summary>
public sealed class KgentSession(Workbench workbench)
{
    /// <summary>A session on what the caller already has (a catalog snapshot, contracts, a store or none).</summary>
    public KgentSession(ProbeCatalog catalog, ContractSet contracts, ExampleStore? store)
        : this(Workbench.From(catalog, contracts, store))
    {
    }

    public Workbench Workbench { get; } = workbench;

    public ProbeCatalog Catalog => Workbench.Catalog;

    public ContractSet Contracts => Workbench.Contracts;

    public ExampleStore? Store => Workbench.OptionalExamples;

    /// <summary>Whether <see cref="SessionResults.Annotated"/> came from the contracts (and goes stale when one changes)
    /// rather than from a program the user wrote.</summary>
    private bool annotatedByContracts;

    /// <summary>The number each distinct program got when a stage first used it.</summary>
    private readonly Dictionary<string, int> programNumbers = new(StringComparer.Ordinal);

    /// <summary>The last result of each stage (<c>kgent.Last.Candidate</c>, …).</summary>
    public SessionResults Last { get; } = new();

    /// <summary>The current program with its number and origin (what a bare stage cell uses).</summary>
    public SessionProgram? Program => Last.Candidate is { } text ? Named(text, "set as kgent.Last.Candidate") : null;

    /// <summary>The prompt the loop would send for the request: the examples it would retrieve (hybrid with an
    /// embeddings model, else BM25), no feedback yet.</summary>
    public async Task<Prompt> PromptAsync(string request, CancellationToken cancellation = default)
    {
        var stages = Workbench.Stages;
        var retrieval = await stages.RetrieveAsync(request, cancellation).ConfigureAwait(false);
        Last.Prompt = stages.Prompt(request, retrieval.Examples, []);
        return Last.Prompt;
    }

    /// <summary>The configured model's program for the request, from the prompt the loop would send.</summary>
    public async Task<string?> CandidateAsync(string request, CancellationToken cancellation = default)
    {
        var prompt = await PromptAsync(request, cancellation).ConfigureAwait(false);
        var synthesis = await Workbench.Stages.SynthesizeAsync(prompt, cancellation).ConfigureAwait(false);
        if (synthesis.Candidate is { } candidate)
        {
            MakeCurrent(candidate.Text, $"the {Workbench.ModelName}'s candidate");
        }

        return synthesis.Candidate?.Text;
    }

    public CheckResult Check(string? program = null)
    {
        var text = Use(program);
        Last.Check = SemanticChecker.Check(BpftraceParser.Parse(text, "candidate.bt"), Catalog);
        return Last.Check;
    }

    /// <summary>The check stage for either language: a libbpf C program (an <c>#include</c> and a <c>SEC("…")</c>) is
    /// compiled by clang and its object checked; anything else is bpftrace.</summary>
    public object CheckAny(string? program = null)
    {
        var text = Use(program);
        if (!Kgent.Kernel.Libbpf.CSource.LooksLikeC(text))
        {
            return Check(text);
        }

        using var build = Kgent.Kernel.Libbpf.Compile.ClangCompiler.Compile(new Kgent.Kernel.Bpftrace.Text.SourceText(text, "candidate.bpf.c"));
        return Kgent.Kernel.Libbpf.Check.CProgramChecker.Check(build, Catalog);
    }

    /// <summary>The request's intent specification (body: the request), or an edited one (body: its JSON, as the
    /// stage shows it). It is kept for the session: <see cref="Symbex"/> checks the candidate against it from now on.</summary>
    public async Task<IntentSpec> IntentAsync(string body, CancellationToken cancellation = default)
    {
        var text = body.Trim();
        if (text.Length == 0)
        {
            return Last.Spec ?? throw new KgentCellException("write the request in the cell body (or an edited specification's JSON)");
        }

        IntentSpec spec;
        if (text.StartsWith('{'))
        {
            spec = IntentJson.Read(text, Last.Spec?.Request, "edited", Catalog, out var problems)
                ?? throw new KgentCellException("the cell is not a usable intent specification: " + string.Join("; ", problems));
        }
        else
        {
            var reading = await new ModelIntentProducer(Workbench.Model, Workbench.ModelName).ReadAsync(text, Catalog, cancellation).ConfigureAwait(false);
            spec = reading.Spec ?? OfflineIntentReader.Read(text, Catalog);
        }

        Last.Spec = spec;
        Last.Intent = null;
        return spec;
    }

    /// <summary>Forgets the session's specification: <see cref="Symbex"/> goes back to proving only the program's assertions.</summary>
    public void ForgetSpec()
    {
        Last.Spec = null;
        Last.Intent = null;
    }

    /// <summary>The program's errors (parse, then semantic, except this host's missing probe types), or null when it has
    /// none: annotate and symbex refuse such a program and show these instead.</summary>
    public CheckResult? Errors(string text, string path)
    {
        var parse = BpftraceParser.Parse(text, path);
        var check = SemanticChecker.Check(parse, Catalog);
        return parse.HasErrors || check.BlockingErrors.Any() ? check : null;
    }

    /// <summary>Annotates the program as the loop's comprehension stage does: the configured model's annotations, or
    /// the contracts' when the model gives none; a program with errors is refused (its check is returned instead).</summary>
    public object Annotate(string? program = null) => AnnotateAsync(program).GetAwaiter().GetResult();

    /// <inheritdoc cref="Annotate"/>
    public async Task<object> AnnotateAsync(string? program = null, CancellationToken cancellation = default)
    {
        // A program in the cell becomes the current one as the annotations strip it (a program with errors, as written).
        var fromCell = !string.IsNullOrWhiteSpace(program);
        var text = fromCell ? program! : Use(null);
        if (Kgent.Kernel.Libbpf.CSource.LooksLikeC(text))
        {
            throw new KgentCellException("#!kgent annotate writes bpftrace annotations; in a libbpf C program write assume(...); and assert(...); " +
                "yourself (they compile to nothing for the kernel) and run #!kgent symbex, which also checks it against a request's specification");
        }

        if (Errors(text, "candidate.bt") is { } errors)
        {
            MakeCurrent(text, fromCell ? WrittenInACell : Last.Program!.Origin);
            Last.Check = errors;
            return errors;
        }

        var candidate = Candidate.Of(AnnotationStripper.StripText(BpftraceParser.Parse(text, "candidate.bt")));
        var comprehension = await Workbench.Stages.ComprehendAsync(candidate, cancellation).ConfigureAwait(false);
        MakeCurrent(candidate.Text, fromCell ? WrittenInACell : Last.Program!.Origin);
        Last.Annotated = Annotated(comprehension.Annotated ?? Workbench.Stages.AnnotateFromContracts(candidate));
        annotatedByContracts = true;
        return Last.Annotated;
    }

    private AnnotatedProgram AnnotateProgram(string text)
    {
        var candidate = Candidate.Of(AnnotationStripper.StripText(BpftraceParser.Parse(text, "candidate.bt")));
        MakeCurrent(candidate.Text, Last.Program?.Origin ?? WrittenInACell);
        Last.Annotated = Annotated(Workbench.Stages.AnnotateFromContracts(candidate));
        annotatedByContracts = true;
        return Last.Annotated;
    }

    /// <summary>Symbolic verification of the given program, else of the last annotated program, else of the candidate
    /// annotated afresh from the current contracts. With a specification in the session (<see cref="IntentAsync"/> or a
    /// synthesis), the result is the intent check: every obligation of the request, proved or refuted. A program with
    /// errors is refused: the result is its check, which shows them.</summary>
    public object Symbex(string? program = null)
    {
        var given = string.IsNullOrWhiteSpace(program) ? null : program;
        if (Kgent.Kernel.Libbpf.CSource.LooksLikeC(given ?? Program?.Text ?? string.Empty))
        {
            return SymbexC(given);
        }

        string text;
        if (!string.IsNullOrWhiteSpace(program))
        {
            // A program written in the cell is the annotated program from now on (its annotations are the author's, so a
            // contract edit keeps them), and its stripped form is the candidate the later stages use.
            text = program;
            if (Errors(text, "annotated.bt") is { } errors)
            {
                MakeCurrent(text, WrittenInACell);
                Last.Check = errors;
                return errors;
            }

            MakeCurrent(AnnotationStripper.StripText(BpftraceParser.Parse(text, "annotated.bt")), WrittenInACell);
            Last.Annotated = Annotated(text);
            annotatedByContracts = false;
        }
        else
        {
            Use(null);
            var current = Last.Annotated?.Text ?? Last.Candidate!;
            if (Errors(current, "annotated.bt") is { } errors)
            {
                Last.Check = errors;
                return errors;
            }

            text = Last.Annotated?.Text ?? AnnotateProgram(current).Text;
        }

        if (Last.Spec is { } spec)
        {
            // The intent check annotates from the contracts itself; the session's annotated program is used as the model's.
            var candidate = BpftraceParser.Parse(Last.Candidate ?? AnnotationStripper.StripText(BpftraceParser.Parse(text, "annotated.bt")), "candidate.bt");
            Last.Intent = IntentChecker.Check(spec, candidate, Catalog, Contracts, new SymbolicOptions(Contracts), text);
            Last.Symbolic = Last.Intent.Symbolic;
            return Last.Intent;
        }

        Last.Symbolic = SymbolicVerifier.Verify(BpftraceParser.Parse(text, "annotated.bt"), Catalog, new SymbolicOptions(Contracts));
        return Last.Symbolic;
    }

    /// <summary>The symbex stage for a libbpf C program: its <c>assert</c>s proved over its lowering (the bpftrace program
    /// that does the same, line for line), or with a specification in the session the intent check, on the C lines. A
    /// program that does not compile, has errors or uses what the lowering does not model gives its check, which shows why
    /// nothing was proved.</summary>
    private object SymbexC(string? program)
    {
        var source = new Kgent.Kernel.Bpftrace.Text.SourceText(Use(program), "candidate.bpf.c");
        var (lowered, problems) = Kgent.Kernel.Libbpf.Symbolic.CSymbolicVerifier.Lower(source, Catalog);
        if (lowered is null)
        {
            return new Kgent.Kernel.Libbpf.Check.CCheckResult(source, problems, Catalog.Source);
        }

        if (Last.Spec is { } spec)
        {
            var (report, why) = Kgent.Kernel.Libbpf.Symbolic.CSymbolicVerifier.CheckIntent(spec, lowered, Catalog, Contracts, new SymbolicOptions(Contracts));
            if (report is null)
            {
                return new Kgent.Kernel.Libbpf.Check.CCheckResult(source,
                    [new Kgent.Kernel.Bpftrace.Diagnostics.Diagnostic(Kgent.Kernel.Libbpf.Compile.CDiagnostics.NotModelled, new Kgent.Kernel.Bpftrace.Text.TextSpan(0, 0), why!)],
                    Catalog.Source);
            }

            // Shown on the C program: the obligations' lines are its lines.
            Last.Intent = report with { Program = source.Text };
            Last.Symbolic = report.Symbolic;
            return Last.Intent;
        }

        var result = SymbolicVerifier.Verify(BpftraceParser.Parse(lowered.Lowered), Catalog, new SymbolicOptions(Contracts));
        Last.Symbolic = Kgent.Kernel.Libbpf.Symbolic.CSymbolicVerifier.OnSource(result, lowered);
        return Last.Symbolic;
    }

    /// <summary>Loads the program into the kernel's verifier; the notebook's interrupt stops bpftrace (and throws).</summary>
    public LoadVerdict Verify(string? program = null, CancellationToken cancellation = default)
    {
        var text = Use(program);
        if (Kgent.Kernel.Libbpf.CSource.LooksLikeC(text))
        {
            using var build = Kgent.Kernel.Libbpf.Compile.ClangCompiler.Compile(new Kgent.Kernel.Bpftrace.Text.SourceText(text, "candidate.bpf.c"));
            Last.Load = Kgent.Kernel.Libbpf.Verify.CKernelLoader.Verify(build, new Kgent.Kernel.Libbpf.Verify.CVerifyOptions(Catalog: Catalog), cancellation);
            return Last.Load;
        }

        Last.Load = KernelLoader.Verify(BpftraceParser.Parse(text, "candidate.bt"), new VerifyOptions(Catalog: Catalog), cancellation);
        return Last.Load;
    }

    /// <summary>Runs the program; the notebook's interrupt ends tracing early, and the result shows what was traced.</summary>
    public RunResult Run(string? program, TimeSpan duration, string? workload, CancellationToken cancellation = default)
    {
        var text = Use(program);
        var options = new RunOptions(duration, Workload: workload, Verify: new VerifyOptions(Catalog: Catalog));
        if (Kgent.Kernel.Libbpf.CSource.LooksLikeC(text))
        {
            using var build = Kgent.Kernel.Libbpf.Compile.ClangCompiler.Compile(new Kgent.Kernel.Bpftrace.Text.SourceText(text, "candidate.bpf.c"));
            Last.Run = Kgent.Kernel.Libbpf.Run.CProgramRunner.Run(build, options, cancellation);
            return Last.Run;
        }

        Last.Run = ProgramRunner.Run(BpftraceParser.Parse(text, "candidate.bt"), options, cancellation);
        return Last.Run;
    }

    /// <param name="c">Write libbpf C (the C loop) instead of bpftrace.</param>
    public async Task<SynthesisResult> SynthAsync(string request, int tries = 3, CancellationToken cancellation = default, bool c = false)
    {
        ISynthesisLoop loop = c ? Workbench.CLoop(tries) : Workbench.Loop(tries);
        var result = await loop.RunAsync(request, cancellation: cancellation).ConfigureAwait(false);
        var last = result.Attempts[^1];
        Last.Synthesis = result;
        Last.Prompt = last.Prompt;
        if ((result is SynthesisResult.Succeeded s ? s.Program : last.Candidate) is { } program)
        {
            MakeCurrent(program, "synthesized by #!kgent synth");
        }

        Last.Check = last.Check;
        Last.Annotated = last.Annotated is null ? null : Annotated(last.Annotated);
        annotatedByContracts = true;
        Last.Symbolic = last.Symbolic;
        Last.Spec = result.Spec;
        Last.Intent = last.Intent;
        Last.Load = last.Load;
        return result;
    }

    /// <summary>Runs an evaluation (<c>kgent eval</c>) with the session's model: the suite (default: the project's
    /// datasets/eval), some configurations, a subset of cases by id or category, optionally another model. Results go to
    /// <paramref name="outDirectory"/> (default: a new folder under the user's data folder), so a rerun with the same folder resumes.</summary>
    public async Task<EvalReport> EvalAsync(string? suitePath, string? configurations, string? only, int repetitions, string? outDirectory,
        IProgress<EvalProgress>? progress = null, CancellationToken cancellation = default, string? model = null)
    {
        var path = suitePath ?? ContractLocator.FindDataset("eval")
            ?? throw new KgentCellException("no evaluation suite found: put its path in the cell body (a datasets/eval folder or a prompts file)");
        EvalSuite suite;
        try
        {
            suite = EvalSuiteLoader.Load(path);
        }
        catch (EvalSuiteException e)
        {
            throw new KgentCellException(e.Message);
        }

        IReadOnlyList<EvalConfiguration> chosen;
        try
        {
            suite = suite.Only(only);
            chosen = EvalConfiguration.Parse(configurations);
        }
        catch (ArgumentException e)
        {
            throw new KgentCellException(e.Message);
        }

        var directory = outDirectory ?? Path.Combine(Path.GetDirectoryName(ExampleStore.DefaultPath)!, "eval", DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        // The evaluation retrieves from a store of its own in its folder, so runs see the same examples.
        using var evaluation = Workbench.WithStore(Path.Combine(directory, "examples.db"), model);
        EvalSummary summary;
        try
        {
            summary = await evaluation.Evaluation(chosen, repetitions, directory).RunAsync(suite, progress, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or OracleUnavailableException or WorkbenchException)
        {
            throw new KgentCellException(e.Message);
        }

        Last.Eval = new EvalReport(summary, [.. EvalResultsFile.Read(directory)], directory);
        return Last.Eval;
    }

    /// <summary>The contract of a hook; with a YAML body (one contract entry, as in datasets/contracts), replaces it for this
    /// session and drops the stage results that depended on it.</summary>
    /// <param name="firstLine">The cell line the YAML starts on, so a problem names the cell's own line.</param>
    public HookContract Contract(string hook, string? yaml = null, int firstLine = 2)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return Contracts.Find(hook) ?? throw new KgentCellException($"no contract for '{hook}'");
        }

        HookContract replacement;
        try
        {
            replacement = Workbench.ReplaceContract(hook, yaml, firstLine);
        }
        catch (WorkbenchException e)
        {
            throw new KgentCellException(e.Message);
        }

        if (annotatedByContracts)
        {
            Last.Annotated = null;
        }

        Last.Symbolic = null;
        Last.Intent = null;
        return replacement;
    }

    private AnnotatedProgram Annotated(string text) => new(text, AnnotationProvenance.Of(text, Contracts));

    private const string WrittenInACell = "written in a cell";

    /// <summary>The program a stage uses: the one given (which becomes the current program), else the current one.</summary>
    private string Use(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            MakeCurrent(given, WrittenInACell);
            return given;
        }

        var current = Program ?? throw new KgentCellException("there is no candidate yet: put a program in the cell body, or run #!kgent candidate or #!kgent synth first");
        MakeCurrent(current.Text, current.Origin);
        return current.Text;
    }

    /// <summary>Makes <paramref name="text"/> the session's current program. A different program than before drops the
    /// results that belonged to the old one, so a bare stage cell never mixes two programs.</summary>
    private void MakeCurrent(string text, string origin)
    {
        if (Last.Program?.Text == text)
        {
            return;
        }

        if (Last.Candidate != text)
        {
            Last.Annotated = null;
            Last.Symbolic = null;
            Last.Intent = null;
            Last.Load = null;
            Last.Run = null;
        }

        Last.Candidate = text;
        Last.Program = Named(text, origin);
    }

    private SessionProgram Named(string text, string origin)
    {
        if (Last.Program is { } current && current.Text == text)
        {
            return current;
        }

        if (!programNumbers.TryGetValue(text, out var number))
        {
            number = programNumbers.Count + 1;
            programNumbers[text] = number;
        }

        return new SessionProgram(number, origin, text);
    }
}

/// <summary>The last result of each stage.</summary>
public sealed class SessionResults
{
    public Prompt? Prompt { get; set; }

    public string? Candidate { get; set; }

    /// <summary>The current program's name and origin, set with <see cref="Candidate"/> by the stages.</summary>
    public SessionProgram? Program { get; internal set; }

    public CheckResult? Check { get; set; }

    public AnnotatedProgram? Annotated { get; set; }

    public SymbolicResult? Symbolic { get; set; }

    /// <summary>The request's intent specification that symbex checks the candidate against (edited with <c>#!kgent intent</c>).</summary>
    public IntentSpec? Spec { get; set; }

    /// <summary>The last intent check: every obligation with its outcome.</summary>
    public IntentReport? Intent { get; set; }

    public LoadVerdict? Load { get; set; }

    public RunResult? Run { get; set; }

    public SynthesisResult? Synthesis { get; set; }

    public EvalReport? Eval { get; set; }
}

/// <summary>An evaluation's table, its runs and where its files are.</summary>
public sealed record EvalReport(EvalSummary Summary, System.Collections.Immutable.ImmutableArray<EvalRun> Runs, string Directory);

/// <summary>The example store's closest examples to a query, as <c>#!kgent examples</c> shows them.</summary>
public sealed record ExampleSearch(string Query, IReadOnlyList<ExampleMatch> Matches);

/// <summary>A candidate program, the synthesis engine's result.</summary>
public sealed record CandidateProgram(string Text);

/// <summary>An annotated program, the comprehension stage's result, with where each annotation came from.</summary>
public sealed record AnnotatedProgram(string Text, System.Collections.Immutable.ImmutableArray<AnnotationSource> Sources = default);

/// <summary>A cell cannot run (no candidate yet, a bad contract, an unknown stage): the message says what to do.</summary>
public sealed class KgentCellException(string message) : Exception(message);
