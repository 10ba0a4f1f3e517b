using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.KernelVerifier;

namespace Kgent.Kernel.Evaluation;

/// <summary>How an evaluation runs.</summary>
/// <param name="OutDirectory">Where results.jsonl (one line per run, appended as runs finish, read back to resume),
/// results.csv, summary.json and summary.csv go.</param>
/// <param name="Store">The example store the prompter retrieves from; results are never added to it during an evaluation.</param>
/// <param name="Judge">The oracle; defaults to <see cref="OracleJudge.Judge"/> on this kernel (tests substitute one).</param>
/// <param name="KernelLoad">Replaces the kernel verifier stage (tests); null = the real kernel.</param>
public sealed record EvalOptions(
    IReadOnlyList<EvalConfiguration> Configurations,
    int Repetitions,
    string OutDirectory,
    ProbeCatalog? Catalog,
    ContractSet? Contracts,
    ExampleStore? Store,
    string ModelName,
    Func<Oracle, string, OracleVerdict>? Judge = null,
    Func<ParseResult, LoadVerdict>? KernelLoad = null)
{
    /// <summary>Whether the loop repairs candidates before asking the model again (each run reports the model calls it saved).</summary>
    public bool Repair { get; init; } = true;

    /// <summary>The language the loop writes: <c>bpftrace</c>, or <c>c</c> (libbpf C through <see cref="Libbpf.Agent.CSynthesisLoop"/>,
    /// judged by <see cref="OracleJudge.JudgeC"/>; the configurations' symbolic verifier does not apply to C, so "symbex"
    /// and "kgent" run as "feedback" and "feedback with the hint" there).</summary>
    public string Language { get; init; } = "bpftrace";

    public bool IsC => Language == "c";
}

/// <summary>Progress of an evaluation: runs done (including those resumed from the results file) out of all.</summary>
public sealed record EvalProgress(int Done, int Total, int Resumed, EvalRun? Last);
