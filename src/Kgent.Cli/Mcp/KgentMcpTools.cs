using System.ComponentModel;
using Kgent.Cli.Commands;
using Kgent.Cli.Output;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Kgent.Cli.Mcp;

/// <summary>The tools <c>kgent mcp</c> offers a coding agent, each a thin face on the workbench's stages. Every program an
/// agent sends is parsed and checked (the safety policy included) before anything reaches the kernel, and a program with
/// errors is refused with its diagnostics and no process started; every run is bounded by <see cref="McpPolicy"/>.</summary>
[McpServerToolType]
public sealed class KgentMcpTools(Workbench workbench, McpPolicy policy)
{
    private const string ProgramPath = "program.bt";

    [McpServerTool(Name = "list_probes", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("List the probes this kernel offers (like `bpftrace -l`), with each tracepoint's fields and each kernel function's parameters. Probe types this host cannot attach are left out unless `all` is true.")]
    public CallToolResult ListProbes(
        [Description("A bpftrace-style pattern, e.g. `tracepoint:syscalls:sys_enter_open*` or `*tcp_connect*`; empty lists every probe")] string? pattern = null,
        [Description("Include each probe's fields (tracepoints) or parameters (kernel functions)")] bool fields = true,
        [Description("Also list probe types this host cannot attach")] bool all = false,
        [Description("The most probes to return (1-1000)")] int limit = 100,
        CancellationToken cancellation = default) => ToolResults.Guard(() =>
    {
        Within("limit", limit, 1, 1000);
        var catalog = workbench.Catalog;
        var matched = catalog.ListProbes(string.IsNullOrWhiteSpace(pattern) ? null : pattern.Trim(), all).ToList();
        var shown = matched.Take(limit).Select(p => new ProbeEntry(p, fields ? ProbesCommand.Fields(catalog, p) : null)).ToList();
        var report = new ProbeList(catalog.Source, matched.Count, shown.Count, shown);
        var text = string.Join('\n', shown.Select(p => p.Fields is { Count: > 0 } f ? p.Probe + "\n" + string.Join('\n', f.Select(x => "    " + x)) : p.Probe));
        if (matched.Count == 0)
        {
            text = $"no probes match '{pattern}'" + (all ? string.Empty : " (probe types this host cannot attach are hidden; set all to include them)");
        }
        else if (matched.Count > shown.Count)
        {
            text += $"\n… {matched.Count - shown.Count} more (raise limit or narrow the pattern)";
        }

        return ToolResults.Of(report, text);
    }, cancellation);

    [McpServerTool(Name = "probe_support", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Which probe types this kernel can attach (tracepoints, kprobes, kfuncs, uprobes, …) and why not, with the kernel release, BTF, tracefs and the bpftrace release programs are checked against. Ask this before writing a program.")]
    public CallToolResult ProbeSupport(CancellationToken cancellation = default) => ToolResults.Guard(() =>
    {
        var catalog = workbench.Catalog;
        var host = catalog.Host;
        var target = workbench.Target.Describe();
        var types = host.ProbeTypes.Select(p => new ProbeTypeSupport(Kgent.Kernel.Probes.ProbeTypeInfo.Of(p.Type).Name, p.Supported, p.Reason)).ToList();
        var report = new HostReport(host.KernelRelease, host.Machine, host.BtfPath, host.TracingDirectory, host.BpftraceVersion, target,
            catalog.TracepointCount, types);
        var text = $"kernel {host.KernelRelease} ({host.Machine}); bpftrace {host.BpftraceVersion ?? "not installed"}; language: {target}\n" +
            string.Join('\n', types.Select(t => $"  {t.Type,-16} {(t.Supported ? "yes" : "no ")}  {t.Reason}"));
        return ToolResults.Of(report, text);
    }, cancellation);

    [McpServerTool(Name = "check", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Check a bpftrace program against this kernel without loading it: syntax, probes, fields, structs, builtins, printf formats, maps, variables and the safety policy. Returns every diagnostic with its code, line, column and a hint, in compiler form.")]
    public CallToolResult Check(
        [Description("The bpftrace program")] string program,
        CancellationToken cancellation = default) => ToolResults.Guard(() =>
    {
        var (source, result) = Checked(program);
        var (located, omitted) = LocatedDiagnostic.Capped(result.Diagnostics, source);
        var errors = result.Errors.Count();
        var report = new CheckCommand.FileReport(ProgramPath, errors == 0, null, located) { DiagnosticsOmitted = omitted };
        var text = Rendered(w => DiagnosticRenderer.Write(w, result.Diagnostics, source, ConsoleStyle.Plain)) +
            $"{errors} error{Plural(errors)}, {result.Warnings.Count()} warning{Plural(result.Warnings.Count())} (target: {workbench.Target.Describe()})";
        return ToolResults.Of(report, text);
    }, cancellation);

    [McpServerTool(Name = "symbolic_verify", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Prove the program's assert(...) statements with Z3 under its assume(...) statements and the kernel contracts. With a request, also prove every obligation of the request's intent specification (the right events, filters, key, fields and units). 'verified' means everything was proved; a failure comes with a counterexample.")]
    public CallToolResult SymbolicVerify(
        [Description("The bpftrace program, optionally annotated with assume(...) and assert(...)")] string program,
        [Description("What the program should do, in plain English; its obligations are proved too")] string? request = null,
        CancellationToken cancellation = default) => ToolResults.Guard(() =>
    {
        var (source, parse, catalog) = Admitted(program, "symbolic verification");
        var options = new SymbolicOptions(workbench.Contracts) { Allowed = policy.Allowed };
        if (!string.IsNullOrWhiteSpace(request))
        {
            var spec = OfflineIntentReader.Read(request.Trim(), catalog);
            var intent = IntentChecker.Check(spec, parse, catalog, workbench.Contracts, options);
            return ToolResults.Of(IntentCheckReport.From(intent, source, catalog.Source),
                Rendered(w => IntentReportRenderer.Write(w, intent, source, ConsoleStyle.Plain)));
        }

        var result = SymbolicVerifier.Verify(parse, catalog, options);
        return ToolResults.Of(SymbexReport.From(result, catalog.Source), Rendered(w => SymbexRenderer.Write(w, result, ConsoleStyle.Plain)));
    }, cancellation);

    [McpServerTool(Name = "verify", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Load the program into this kernel's eBPF verifier and detach it at once (nothing keeps running). The program is checked first and refused, unloaded, if it has errors. A rejection names the stage (parse, semantic, codegen, kernel verifier, attach), the line, the verifier's reason and a hint.")]
    public CallToolResult Verify(
        [Description("The bpftrace program (assume/assert annotations are stripped before loading)")] string program,
        CancellationToken cancellation = default) => ToolResults.Guard(() =>
    {
        var (source, parse, catalog) = Admitted(program, "loading");
        var verdict = KernelLoader.Verify(parse, Loading(catalog), cancellation);
        var report = VerifyReport.From(ProgramPath, verdict, source);
        return ToolResults.Of(report, Rendered(w => VerifyCommand.Write(w, verdict, parse, ConsoleStyle.Plain)), isError: false);
    }, cancellation);

    [McpServerTool(Name = "run", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Run the program with bpftrace (never --unsafe) for a bounded time, optionally while a workload command runs, and return its printf lines and its maps as typed data (scalars, keyed maps, histograms, stats). The program is checked first and refused, unloaded, if it has errors; everything is detached when the run ends.")]
    public CallToolResult Run(
        [Description("The bpftrace program")] string program,
        [Description("How long to trace in seconds (default 5), or the most the workload may take; the server caps it")] double? seconds = null,
        [Description("A shell command to run once the probes are attached, e.g. `cat /etc/hostname`; tracing stops shortly after it exits")] string? workload = null,
        [Description("Stop after this many printf lines (at most 1000)")] int? maxEvents = null,
        CancellationToken cancellation = default) => ToolResults.Guard(() =>
    {
        var length = seconds is { } s ? TimeSpan.FromSeconds(s) : McpPolicy.DefaultRun;
        if (seconds is { } given && (double.IsNaN(given) || given <= 0 || length > policy.MaxRun))
        {
            throw new McpToolError($"seconds {given}: give a number above 0 and at most {policy.MaxRun.TotalSeconds:0} (this server's limit)");
        }

        Within("maxEvents", maxEvents, 1, McpPolicy.MaxPrintfLines);
        var (source, parse, catalog) = Admitted(program, "running");
        var options = new RunOptions(length, maxEvents ?? McpPolicy.MaxPrintfLines, string.IsNullOrWhiteSpace(workload) ? null : workload, McpPolicy.OutputLimit, Loading(catalog));
        var result = ProgramRunner.Run(parse, options, cancellation);
        var text = result.Load is LoadVerdict.Rejected
            ? Rendered(w => VerifyCommand.Write(w, result.Load, parse, ConsoleStyle.Plain))
            : Rendered(w => RunRenderer.Write(w, result, ConsoleStyle.Plain));
        return ToolResults.Of(RunReport.From(ProgramPath, result, source), text);
    }, cancellation);

    [McpServerTool(Name = "synth", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description("Turn a plain-English request into a bpftrace program through Kgent's loop: retrieve examples, write a candidate with the configured model (the offline model without an endpoint), check it, annotate it, prove it with Z3 and load it into the kernel's verifier, feeding every failure back, for at most `tries` attempts. 'verified' means it was proved to do what was asked; otherwise the verdict says what is missing.")]
    public Task<CallToolResult> Synth(
        [Description("What to trace, in plain English, e.g. `count file opens by process name`")] string request,
        [Description("Attempts before giving up (1-10, default 3)")] int tries = 3,
        CancellationToken cancellation = default) => ToolResults.Guard(async () =>
    {
        Within("tries", tries, 1, 10);
        if (string.IsNullOrWhiteSpace(request))
        {
            throw new McpToolError("request is empty: say what to trace, e.g. `count file opens by process name`");
        }

        var result = await workbench.Loop(tries).RunAsync(request.Trim(), null, cancellation).ConfigureAwait(false);
        var report = SynthOutcome.From(SynthReport.From(result), result);
        return ToolResults.Of(report, Rendered(w => SynthRenderer.Write(w, result, ConsoleStyle.Plain)));
    }, cancellation);

    [McpServerTool(Name = "search_examples", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The stored request/program examples most similar to a query (BM25), each labelled with where it came from (the dataset, an installed tool, a user, or an earlier synthesis).")]
    public CallToolResult SearchExamples(
        [Description("What you want to trace, in plain English")] string query,
        [Description("How many examples (1-50, default 5)")] int k = 5,
        CancellationToken cancellation = default) => ToolResults.Guard(() =>
    {
        Within("k", k, 1, 50);
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new McpToolError("query is empty: describe what you want to trace");
        }

        var matches = workbench.ExistingExamples.Search(query.Trim(), k);
        var entries = matches.Select(m => new ExampleEntry(Math.Round(m.Score, 3), m.Example.Request, m.Example.Program, m.Example.Origin.Label(), m.Example.Source)).ToList();
        var text = entries.Count == 0 ? "no stored example matches"
            : string.Join("\n\n", entries.Select(e => $"# {e.Request} ({e.Origin}, score {e.Score:F2})\n{e.Program.TrimEnd()}"));
        return ToolResults.Of(new ExampleList(query.Trim(), entries), text);
    }, cancellation);

    [McpServerTool(Name = "show_contract", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The kernel contract Kgent proves programs against for one hook: its preconditions, postconditions and notes (e.g. which fields are in network byte order).")]
    public CallToolResult ShowContract(
        [Description("The hook: a kernel function (`tcp_connect`) or a tracepoint (`sock:inet_sock_set_state`, `tracepoint:syscalls:sys_enter_openat`)")] string hook,
        CancellationToken cancellation = default) => ToolResults.Guard(() =>
    {
        var contracts = workbench.Contracts;
        var contract = contracts.Find(hook.Trim());
        if (contract is null)
        {
            var closest = Suggestions.Closest(hook.Trim(), contracts.Contracts.Select(c => c.Name));
            throw new McpToolError($"no contract for '{hook}'" + (closest is null ? string.Empty : $" (did you mean '{closest}'?)") +
                $"; {contracts.Contracts.Length} hooks have contracts");
        }

        var report = new ContractReport(contract.Name, contract.Title, contract.Summary, [.. contract.AttachPoints],
            [.. contract.Pre.Select(p => p.Text)], [.. contract.Post.Select(p => p.Text)], [.. contract.Notes.Select(n => new ContractNote(n.Subject, n.Text))]);
        var text = $"{contract.Title}: {contract.Summary}\n  applies to: {string.Join(", ", contract.AttachPoints)}\n" +
            string.Concat(report.Pre.Select(p => $"  pre: {p}\n")) + string.Concat(report.Post.Select(p => $"  post: {p}\n")) +
            string.Concat(report.Notes.Select(n => $"  note: {n.Subject}: {n.Text}\n"));
        return ToolResults.Of(report, text.TrimEnd());
    }, cancellation);

    /// <summary>Parses and checks a program an agent sent.</summary>
    private (SourceText Source, CheckResult Result) Checked(string program)
    {
        var source = Source(program);
        var result = SemanticChecker.Check(BpftraceParser.Parse(source), workbench.Catalog,
            new CheckOptions(Allowed: policy.Allowed) { TargetVersion = workbench.Target.Version });
        return (source, result);
    }

    /// <summary>The gate before the solver or the kernel: a program with any error (the safety policy's included) is
    /// refused with its diagnostics, and nothing is started.</summary>
    private (SourceText Source, ParseResult Parse, ProbeCatalog Catalog) Admitted(string program, string what)
    {
        var (source, result) = Checked(program);
        var errors = result.BlockingErrors.ToList();
        if (errors.Count > 0)
        {
            var (located, _) = LocatedDiagnostic.Capped(errors, source);
            var first = located[0];
            throw new McpToolError(
                $"refused before {what}: the program has {errors.Count} error{Plural(errors.Count)}, nothing was started; " +
                $"first: {first.Path}:{first.Line}:{first.Column}: {first.Severity} {first.Code}: {first.Message}" + (first.Hint is null ? string.Empty : $" (hint: {first.Hint})"),
                new { diagnostics = located });
        }

        return (source, result.Parse, workbench.Catalog);
    }

    private VerifyOptions Loading(ProbeCatalog catalog) => new(policy.Allowed, null, catalog, BpftracePath: policy.Bpftrace);

    private static SourceText Source(string program)
    {
        if (string.IsNullOrWhiteSpace(program))
        {
            throw new McpToolError("program is empty: send the bpftrace program's text");
        }

        if (program.Length > McpPolicy.MaxProgramCharacters)
        {
            throw new McpToolError($"program has {program.Length:N0} characters; the most this server takes is {McpPolicy.MaxProgramCharacters:N0}");
        }

        return new SourceText(program, ProgramPath);
    }

    private static void Within(string name, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw new McpToolError($"{name} {v}: give a whole number from {min} to {max}");
        }
    }

    private static string Rendered(Action<TextWriter> write)
    {
        using var writer = new StringWriter();
        write(writer);
        return writer.ToString();
    }

    private static string Plural(int count) => count == 1 ? string.Empty : "s";

    public sealed record ProbeEntry(string Probe, IReadOnlyList<string>? Fields);

    public sealed record ProbeList(string Catalog, int Matched, int Shown, IReadOnlyList<ProbeEntry> Probes);

    public sealed record ProbeTypeSupport(string Type, bool Supported, string Reason);

    public sealed record HostReport(string KernelRelease, string Machine, string? Btf, string? Tracefs, string? Bpftrace, string Language, int Tracepoints,
        IReadOnlyList<ProbeTypeSupport> ProbeTypes);

    public sealed record ExampleEntry(double Score, string Request, string Program, string Origin, string Source);

    public sealed record ExampleList(string Query, IReadOnlyList<ExampleEntry> Examples);

    public sealed record ContractNote(string Subject, string Text);

    public sealed record ContractReport(string Hook, string Title, string Summary, IReadOnlyList<string> AttachPoints, IReadOnlyList<string> Pre,
        IReadOnlyList<string> Post, IReadOnlyList<ContractNote> Notes);

    /// <summary>What <c>synth</c> returns: the verdict and the program, and each attempt's failed stage and feedback
    /// (the prompts and raw replies stay out; <c>kgent synth --json</c> has them).</summary>
    public sealed record SynthOutcome(string Request, string Model, bool Verified, string Verdict, string? Program, string? AnnotatedProgram,
        IReadOnlyList<AttemptSummary> Attempts)
    {
        public static SynthOutcome From(SynthReport report, SynthesisResult result) => new(report.Request, report.Model, report.Verified, report.Verdict,
            report.Program, report.AnnotatedProgram,
            [.. result.Attempts.Select(a => new AttemptSummary(a.Number, a.FailedStage, [.. a.Feedback.Select(f => new FeedbackEntry(f.Stage, f.Code, f.Line, f.Column, f.Message, f.Hint))])
            {
                Repairs = [.. a.Repairs.Select(r => r.ToString())],
            })]);
    }

    public sealed record AttemptSummary(int Number, string? FailedStage, IReadOnlyList<FeedbackEntry> Feedback)
    {
        /// <summary>What Kgent repaired in the model's candidate instead of asking again ("repaired: … 'a' → 'b'").</summary>
        public IReadOnlyList<string> Repairs { get; init; } = [];
    }

    public sealed record FeedbackEntry(string Stage, string? Code, int? Line, int? Column, string Message, string? Hint);
}
