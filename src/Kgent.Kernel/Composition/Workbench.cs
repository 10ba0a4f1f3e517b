using Kgent.Kernel.Agent;
using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Evaluation;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.KernelInfo.Host.Bpftrace;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Composition;

/// <summary>
/// The one composition root: what a Kgent session needs, loaded once and on first use, from a session's
/// <see cref="WorkbenchOptions"/>: the model settings and the model, the kernel catalog, the contracts, the example
/// store, and the bpftrace release programs are held to; and, from them, the pipeline's stages and the synthesis loop.
/// Every front end (the command line, the notebook) asks the workbench and builds none of these itself. What cannot be
/// loaded is a <see cref="WorkbenchException"/> that says what and how to fix it; what it notices on the way is a note.
/// </summary>
public sealed class Workbench(WorkbenchOptions? options = null, Action<WorkbenchNote>? notes = null) : IDisposable
{
    private readonly Action<WorkbenchNote> note = notes ?? (_ => { });
    private ModelSettings? settings;
    private ProbeCatalog? catalog;
    private string? catalogProblem;
    private ContractSet? contracts;
    private Task<ContractsRead>? contractsReading;
    private Task<StoreOpened>? storeOpening;
    private ExampleStore? store;
    private IChatClient? model;
    private IEmbeddingGenerator<string, Embedding<float>>? embeddings;
    private bool embeddingsMade;
    private BpftraceTarget? target;
    private bool storeless;
    private bool ownsStore = true;
    private string? givenModelName;
    private bool ownsModel = true;

    public WorkbenchOptions Options { get; } = options ?? WorkbenchOptions.Default;

    /// <summary>A workbench on what the caller already has (a test's catalog snapshot, its contracts, a store or none);
    /// the rest is loaded as usual. The caller keeps the store: disposing the workbench leaves it open.</summary>
    /// <param name="model">A model to use instead of the configured one (a test's scripted chat client), named <paramref name="modelName"/>.</param>
    public static Workbench From(ProbeCatalog catalog, ContractSet contracts, ExampleStore? store, WorkbenchOptions? options = null, Action<WorkbenchNote>? notes = null,
        IChatClient? model = null, string? modelName = null) =>
        new(options, notes) { catalog = catalog, contracts = contracts, store = store, storeless = store is null, ownsStore = false, model = model, givenModelName = modelName, ownsModel = model is null };

    /// <summary>The same session on another example store (an evaluation keeps one in its results folder): the settings,
    /// the catalog and the contracts (as this session has edited them) are shared; the model is made anew.</summary>
    /// <summary>This workbench on another example store (and, when <paramref name="model"/> is given, another model), sharing
    /// what it has loaded.</summary>
    public Workbench WithStore(string path, string? model = null) => new(Options with { Store = path, Model = model ?? Options.Model }, note)
    {
        settings = model is null ? settings : null,
        SettingsProblems = SettingsProblems,
        catalog = catalog,
        catalogProblem = catalogProblem,
        contracts = contracts,
        ContractsPath = ContractsPath,
        target = target,
    };

    /// <summary>Starts reading, on the thread pool, what a synthesis needs a little later: the contracts (~100 ms of YAML and
    /// clause parsing) and the example store (SQLite's first connection), and loads the catalog here meanwhile. On a
    /// two-core host that takes most of a synthesis's loading off its wall time (the solver's warm-up starts later, in the
    /// loop, when the request's specification says it will be needed: <see cref="Symbolic.SolverWarmUp"/>). What goes wrong
    /// is reported where it is used, as without a prefetch, and notes are given when the part is first used.</summary>
    public void Prefetch()
    {
        if (contracts is null && contractsReading is null)
        {
            contractsReading = Task.Run(ReadContracts);
        }

        if (store is null && storeOpening is null && !storeless)
        {
            storeOpening = Task.Run(() => OpenStoreQuietly(create: true));
        }

        _ = TryCatalog();
    }

    /// <summary>The model settings in effect (config file and environment), with <see cref="WorkbenchOptions.Model"/> applied.</summary>
    public ModelSettings Settings => settings ??= LoadSettings();

    /// <summary>How transcripts name the model: <c>offline retrieval model</c> or <c>MODEL at ENDPOINT</c>.</summary>
    public string ModelName => givenModelName ?? ModelProvider.Describe(Settings);

    /// <summary>The kernel catalog: the snapshot chosen, else <c>KGENT_CATALOG</c>'s, else the running kernel's.</summary>
    public ProbeCatalog Catalog => TryCatalog() ?? throw new WorkbenchException(catalogProblem!);

    /// <summary>Why the catalog could not be loaded, once it was tried.</summary>
    public string? CatalogProblem => catalogProblem;

    /// <summary>The catalog, or null when it cannot be loaded (for stages that only use it for hints and names).</summary>
    public ProbeCatalog? TryCatalog()
    {
        if (catalog is null && catalogProblem is null)
        {
            try
            {
                catalog = CatalogLoader.Load(Options.Catalog);
            }
            catch (CatalogException e)
            {
                catalogProblem = e.Message;
            }
        }

        return catalog;
    }

    /// <summary>The folder the contracts came from, or null (none found, or replaced in the session).</summary>
    public string? ContractsPath { get; private set; }

    /// <summary>The kernel contracts. A session may replace them (a notebook's contract cell); the model, which
    /// annotates from them offline, is then made anew.</summary>
    public ContractSet Contracts
    {
        // While a prefetch reads them, the contracts are handed out deferred: the loop's first steps (reading the request,
        // retrieving examples) run meanwhile, and the first use of a contract waits for the rest of the read.
        get => contracts ??= contractsReading is null ? LoadContracts() : ContractSet.Deferred(LoadContracts);
        set
        {
            contracts = value;
            contractsReading = null;
            DisposeModel();
        }
    }

    /// <summary>The example store, created when missing and seeded with the dataset's train split when empty (unless
    /// <see cref="WorkbenchOptions.SeedStore"/> is off).</summary>
    public ExampleStore Examples => store ??= storeless ? throw new WorkbenchException("this session has no example store") : OpenStore(create: true);

    /// <summary>The example store, or null in a session made without one.</summary>
    public ExampleStore? OptionalExamples => storeless ? null : Examples;

    /// <summary>The example store as it is: one that does not exist yet is an error (listing and searching create nothing).</summary>
    public ExampleStore ExistingExamples => store ??= OpenStore(create: false);

    /// <summary>Where the example store is.</summary>
    public string StorePath => Options.Store ?? ExampleStore.DefaultPath;

    /// <summary>The bpftrace release programs are held to, and why: <see cref="WorkbenchOptions.TargetVersion"/>, else what
    /// the chosen bpftrace reports, else the release a catalog snapshot recorded, else PATH's, else 0.17.</summary>
    public BpftraceTarget Target => target ??= BpftraceTarget.Resolve(Options.Bpftrace, Options.TargetVersion, out var problem, TryCatalog()?.Host.BpftraceVersion)
        ?? throw new WorkbenchException(problem!);

    /// <summary>The configured chat model: the offline retrieval model without an endpoint.</summary>
    public IChatClient Model => model ??= ModelProvider.Create(Settings, TryCatalog(), Contracts);

    /// <summary>The embeddings model on the same endpoint, or null (retrieval is then BM25 alone).</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings
    {
        get
        {
            if (!embeddingsMade)
            {
                embeddings = ModelProvider.CreateEmbeddings(Settings);
                embeddingsMade = true;
            }

            return embeddings;
        }
    }

    /// <summary>The synthesis loop's options for this session: its catalog, contracts, store, model name, embeddings,
    /// bpftrace and target release.</summary>
    public SynthesisOptions SynthesisOptions(int tries = 3, bool verifyInKernel = true) =>
        new(tries, Catalog: Catalog, Contracts: Contracts, Store: OptionalExamples, VerifyInKernel: verifyInKernel, ModelName: ModelName, Embeddings: Embeddings)
        {
            Bpftrace = Options.Bpftrace,
            TargetVersion = Target.Version,
            Repair = Options.Repair,
        };

    /// <summary>The pipeline's stages with this session's model and everything they check against: what a notebook cell
    /// or a command runs one at a time, as the loop runs them.</summary>
    public Pipeline Stages => new(Model, SynthesisOptions());

    /// <summary>The paper's loop with this session's model and everything it checks against.</summary>
    public SynthesisLoop Loop(int tries = 3, bool verifyInKernel = true) => new(Model, SynthesisOptions(tries, verifyInKernel));

    /// <summary>The loop for libbpf C with this session's model and everything it checks against (see
    /// <see cref="Libbpf.Agent.CSynthesisLoop"/>).</summary>
    public Libbpf.Agent.CSynthesisLoop CLoop(int tries = 3, bool verifyInKernel = true) => new(Model, SynthesisOptions(tries, verifyInKernel));

    /// <summary>An evaluation with this session's model, catalog and contracts. The example store is the session's: an
    /// evaluation opens its workbench on a store of its own (in its results folder), so runs see the same examples.</summary>
    public EvalRunner Evaluation(IReadOnlyList<EvalConfiguration> configurations, int repetitions, string directory, string language = "bpftrace") =>
        new(Model, new EvalOptions(configurations, repetitions, directory, Catalog, Contracts, Examples, ModelName) { Repair = Options.Repair, Language = language });

    public void Dispose()
    {
        DisposeModel();
        if (ownsStore)
        {
            // A store opened in the background and never asked for is closed too (one that failed to open has nothing to
            // close; its failure was for the first use to report).
            if (storeOpening is { } opening && ((IAsyncResult)opening).AsyncWaitHandle.WaitOne() && opening.IsCompletedSuccessfully)
            {
                store ??= opening.Result.Store;
            }

            store?.Dispose();
        }

        storeOpening = null;

        store = null;
    }

    private void DisposeModel()
    {
        if (!ownsModel)
        {
            return;
        }

        model?.Dispose();
        model = null;
        (embeddings as IDisposable)?.Dispose();
        embeddings = null;
        embeddingsMade = false;
    }

    /// <summary>What was wrong with the settings (an unreadable config file, a bad number); each was also a note.</summary>
    public IReadOnlyList<string> SettingsProblems { get; private set; } = [];

    /// <summary>The contract dataset itself, with every problem the loader found: for the command that reports on it.
    /// No dataset is an error here.</summary>
    public ContractLoadResult ReadContractDataset(out string path)
    {
        path = Options.Contracts ?? ContractLocator.Find()
            ?? throw new WorkbenchException($"no contract dataset found; pass --contracts DIR or set {ContractLocator.EnvironmentVariable}");
        return ContractLoader.Load(path);
    }

    /// <summary>Replaces the contract of one hook for this session with one contract entry in YAML (as in
    /// datasets/contracts); the entry must be valid and for that hook.</summary>
    /// <param name="firstLine">The line of the cell (or file) the YAML starts on: problems and clause locations name
    /// lines counted from there. The <c>contracts:</c> key a bare entry needs is put on the line before it.</param>
    public HookContract ReplaceContract(string hook, string yaml, int firstLine = 2)
    {
        var keyed = yaml.TrimStart().StartsWith("contracts:", StringComparison.Ordinal);
        var padding = new string('\n', Math.Max(0, firstLine - (keyed ? 1 : 2)));
        var loaded = ContractLoader.LoadTexts([("cell", padding + (keyed ? yaml : "contracts:\n" + yaml))]);
        if (loaded.HasProblems || loaded.Contracts.Contracts.Length != 1)
        {
            throw new WorkbenchException("the cell is not one valid contract entry: " + string.Join("; ", loaded.Problems.Select(p => p.ToString())));
        }

        var replacement = loaded.Contracts.Contracts[0];
        if (new ContractSet([replacement], Contracts.Constants).Find(hook) is null)
        {
            throw new WorkbenchException($"the cell's contract is for {replacement.Title}, not '{hook}': name the same hook in the magic line and the body");
        }

        Contracts = new ContractSet(Contracts.Contracts.Where(c => c.Kind != replacement.Kind || c.Name != replacement.Name).Append(replacement), Contracts.Constants);
        ContractsPath = null;
        return replacement;
    }

    /// <summary>The running kernel's catalog read afresh, its host part with the chosen bpftrace (what a snapshot records),
    /// whatever <see cref="WorkbenchOptions.Catalog"/> and <c>KGENT_CATALOG</c> say; it becomes the session's catalog when
    /// none was loaded yet. For what must describe this very kernel: a snapshot being exported, a demo that runs programs.</summary>
    public ProbeCatalog LoadLiveCatalog()
    {
        try
        {
            var live = CatalogLoader.LoadLive(new KernelInfo.Host.HostProbeOptions("/", () => BpftraceInfoReader.Read(Options.Bpftrace)));
            catalog ??= live;
            return live;
        }
        catch (CatalogException e)
        {
            throw new WorkbenchException(e.Message);
        }
    }

    private ModelSettings LoadSettings()
    {
        var (loaded, problems) = ModelSettings.Load();
        SettingsProblems = problems;
        foreach (var problem in problems)
        {
            note(new WorkbenchNote(WorkbenchNoteKind.Warning, problem));
        }

        return Options.Model switch
        {
            "offline" => ModelSettings.Offline,
            ModelSettings.RetrievalOnlyModel => ModelSettings.OfflineRetrievalOnly,
            { } name when loaded.IsOffline => throw new WorkbenchException(
                $"--model {name} needs an endpoint: set KGENT_ENDPOINT (e.g. http://localhost:11434/v1 for Ollama) or endpoint: in {ModelSettings.DefaultConfigPath}"),
            { } name => loaded with { Model = name },
            null => loaded,
        };
    }

    private ContractSet LoadContracts()
    {
        var read = contractsReading is { } reading ? reading.GetAwaiter().GetResult() : ReadContracts();
        contractsReading = null;
        foreach (var found in read.Notes)
        {
            note(found);
        }

        ContractsPath = read.Path;
        return read.Contracts ?? throw new WorkbenchException(read.Problem!);
    }

    /// <summary>The contract dataset read with what was noticed on the way, touching nothing of the workbench's (it may run
    /// on another thread: see <see cref="Prefetch"/>).</summary>
    private ContractsRead ReadContracts()
    {
        var path = Options.Contracts ?? ContractLocator.Find();
        if (path is null)
        {
            return new(ContractSet.Empty, null, [new WorkbenchNote(WorkbenchNoteKind.Warning,
                $"no contract dataset found (datasets/contracts); verifying without kernel contracts (set {ContractLocator.EnvironmentVariable} or pass --contracts DIR)")], null);
        }

        var loaded = ContractLoader.Load(path);
        var notes = loaded.Problems.Select(problem => new WorkbenchNote(WorkbenchNoteKind.Detail, problem.ToString())).ToList();
        return loaded.Contracts.Contracts.IsEmpty && loaded.HasProblems
            ? new(null, null, notes, $"no usable contracts in '{path}'")
            : new(loaded.Contracts, path, notes, null);
    }

    private sealed record ContractsRead(ContractSet? Contracts, string? Path, IReadOnlyList<WorkbenchNote> Notes, string? Problem);

    private ExampleStore OpenStore(bool create)
    {
        var opened = storeOpening is { } opening ? opening.GetAwaiter().GetResult() : OpenStoreQuietly(create);
        storeOpening = null;
        if (opened.Note is { } seeded)
        {
            note(seeded);
        }

        return opened.Store ?? throw new WorkbenchException(opened.Problem!);
    }

    /// <summary>The store opened (and seeded when empty), touching nothing of the workbench's (it may run on another thread:
    /// see <see cref="Prefetch"/>).</summary>
    private StoreOpened OpenStoreQuietly(bool create)
    {
        ExampleStore opened;
        try
        {
            opened = create ? ExampleStore.Open(StorePath) : ExampleStore.OpenExisting(StorePath);
        }
        catch (ExampleStoreException e)
        {
            return new(null, null, e.Message);
        }

        // An empty store gets the dataset's train split and Kgent's libbpf C examples. Each language has its own full-text
        // index, so the C examples do not change how bpftrace examples rank.
        if (create && Options.SeedStore && EbpfnlDataset.SeedIfEmpty(opened) is { } dataset)
        {
            var bpftrace = opened.Count;
            var c = LibbpfExamples.SeedIfMissing(opened);
            return new(opened, new WorkbenchNote(WorkbenchNoteKind.Info, $"the example store {opened.Path} was empty; added the {bpftrace} train examples of {dataset}" +
                (c > 0 ? $" and {c} libbpf C examples" : string.Empty)), null);
        }

        return new(opened, null, null);
    }

    private sealed record StoreOpened(ExampleStore? Store, WorkbenchNote? Note, string? Problem);
}
