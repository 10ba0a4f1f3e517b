using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.KernelVerifier;

namespace Kgent.Kernel.Agent;

/// <summary>How the synthesis loop runs. Leaving out the catalog skips the semantic check; leaving out the store skips
/// retrieval (and adding the result back); <see cref="KernelLoad"/> defaults to the real kernel verifier stage.</summary>
/// <param name="Tries">Attempts before giving up (the paper's bound; default 3).</param>
/// <param name="ExampleCount">Examples retrieved into the prompt.</param>
/// <param name="Annotate">Run the comprehension engine and the symbolic verifier.</param>
/// <param name="VerifyInKernel">Load the final candidate into the kernel verifier.</param>
/// <param name="ModelName">How the transcript names the model, e.g. <c>offline retrieval model</c>.</param>
/// <param name="Embeddings">When set, retrieval is hybrid (BM25 + embedding cosine) and successes are stored with their embedding.</param>
/// <param name="Learn">Add each verified result to the store (the paper's growing dataset). Evaluations turn it off so
/// every run sees the same examples and an interrupted evaluation resumes to the same results.</param>
/// <param name="Intent">Who reads the request into an intent specification when <paramref name="Annotate"/> is on
/// (default: the model, through the intent prompt; the offline model answers with its offline reader). Every candidate
/// is then checked against it, and a refuted obligation is feedback.</param>
public sealed record SynthesisOptions(
    int Tries = 3,
    int ExampleCount = 3,
    ProbeCatalog? Catalog = null,
    ContractSet? Contracts = null,
    ExampleStore? Store = null,
    bool Annotate = true,
    bool VerifyInKernel = true,
    Func<ParseResult, LoadVerdict>? KernelLoad = null,
    string ModelName = "unnamed model",
    Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? Embeddings = null,
    bool Learn = true,
    Intent.IIntentProducer? Intent = null)
{
    public const int MaxRequestLength = 2000;

    /// <summary>The bpftrace that loads candidates (<see cref="KernelVerifier.VerifyOptions.BpftracePath"/>); null: KGENT_BPFTRACE or PATH.</summary>
    public string? Bpftrace { get; init; }

    /// <summary>The bpftrace release candidates are checked against and the prompt names; null: 0.17.</summary>
    public Version? TargetVersion { get; init; }

    /// <summary>Repair a candidate whose errors each have one meaning-preserving fix before asking the model again
    /// (<see cref="Repair.ProgramRepairer"/>); on by default, <c>--no-repair</c> turns it off.</summary>
    public bool Repair { get; init; } = true;
}
