namespace Kgent.Notebook;

/// <summary>One stage a <c>#!kgent</c> cell can run, what its body holds, and the options it takes. The one table the
/// directive's completions, the option check and the error messages all read.</summary>
public sealed record KgentStage(string Name, string Body, IReadOnlyList<string> Options, bool UsesProgram)
{
    public static readonly IReadOnlyList<KgentStage> All =
    [
        new("synth", "the request", ["--tries", "--lang"], UsesProgram: false),
        new("prompt", "the request", [], UsesProgram: false),
        new("candidate", "the request", [], UsesProgram: false),
        new("check", "a program (empty: the current one)", [], UsesProgram: true),
        new("annotate", "a program (empty: the current one)", [], UsesProgram: true),
        new("intent", "the request, or an edited specification's JSON", ["--clear"], UsesProgram: false),
        new("symbex", "an annotated program (empty: the current one)", [], UsesProgram: true),
        new("verify", "a program (empty: the current one)", [], UsesProgram: true),
        new("run", "a program (empty: the current one)", ["--duration", "--workload"], UsesProgram: true),
        new("contract", "one contract entry in YAML (empty: show the hook's contract)", ["--hook"], UsesProgram: false),
        new("examples", "a query", ["--k"], UsesProgram: false),
        new("config", "nothing", [], UsesProgram: false),
        new("eval", "a suite path (empty: datasets/eval)", ["--configs", "--only", "--reps", "--out", "--model"], UsesProgram: false),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(s => s.Name)];

    /// <summary>What each option does, for the directive's help and completions; one entry per option of <see cref="All"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string> OptionHelp = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--tries"] = "synth: attempts before giving up",
        ["--lang"] = "synth: the language to write, bpftrace (default) or c (libbpf CO-RE C)",
        ["--clear"] = "intent: forget the session's specification",
        ["--duration"] = "run: how long to trace (5s, 500ms)",
        ["--workload"] = "run: a shell command to run while tracing",
        ["--hook"] = "contract: the hook, e.g. tcp_connect or sock:inet_sock_set_state",
        ["--k"] = "examples: how many to show",
        ["--configs"] = "eval: configurations, comma-separated",
        ["--only"] = "eval: case ids or categories, comma-separated",
        ["--model"] = "eval: the model to evaluate (offline, offline-retrieval or a model on the endpoint; default: the session's)",
        ["--reps"] = "eval: repetitions per case",
        ["--out"] = "eval: results folder (a rerun with the same folder resumes)",
    };

    public static KgentStage? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>The values an editor offers for an option (none for a free-form one); <c>--hook</c> offers the hooks
    /// that have contracts in <paramref name="session"/>, when there is one.</summary>
    public static IEnumerable<string> ValuesOf(string option, KgentSession? session = null) => option switch
    {
        "--duration" => ["1s", "3s", "5s", "10s"],
        "--hook" => session?.Contracts.Contracts.Select(c => c.Name) ?? [],
        "--tries" => ["1", "2", "3", "5"],
        "--lang" => ["bpftrace", "c"],
        "--configs" => ["few-shot,kgent", "few-shot,feedback,symbex,hints,kgent", .. Kgent.Kernel.Evaluation.EvalConfiguration.All.Select(c => c.Name)],
        "--only" => ["files", "processes", "scheduling", "memory", "block", "networking", "syscalls"],
        "--model" => ["offline", Kgent.Kernel.Agent.Providers.ModelSettings.RetrievalOnlyModel],
        _ => [],
    };

    /// <summary>"--duration, --workload", or "none" for a stage that takes no option.</summary>
    public string OptionList => Options.Count == 0 ? "none" : string.Join(", ", Options);
}
