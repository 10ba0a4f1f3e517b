using System.CommandLine;
using Kgent.Cli.Commands;
using Kgent.Cli.Output;

namespace Kgent.Cli;

/// <summary>The <c>kgent</c> command tree. <see cref="Invoke"/> takes its writers so tests run it in-process.</summary>
public static class KgentCli
{
    public static int Invoke(string[] args, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        var root = Build(output, error, style);
        // Kgent's own handler below, not System.CommandLine's: a bug becomes one line and exit 70, never a stack trace.
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        void OnReaped(string message) => error.WriteLine($"kgent: note: {message}");
        Kgent.Kernel.Processes.ChildRegistry.Reaped += OnReaped;
        try
        {
            if (args.Length == 0)
            {
                root.Parse(["--help"]).Invoke(configuration);
                return CommandLineErrors.ExitCode;
            }

            var parsed = root.Parse(args);
            if (!IsHelpRequest(args) && CommandLineErrors.Report(parsed, error))
            {
                return CommandLineErrors.ExitCode;
            }

            return parsed.Invoke(configuration);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error.WriteLine($"kgent: internal error: {ex.Message}");
            if (Environment.GetEnvironmentVariable("KGENT_DEBUG") is { Length: > 0 })
            {
                error.WriteLine(ex.ToString());
            }

            error.WriteLine("kgent: this is a bug in Kgent; please report it with the command you ran (KGENT_DEBUG=1 shows where it happened)");
            return 70;
        }
        finally
        {
            Kgent.Kernel.Processes.ChildRegistry.Reaped -= OnReaped;
        }
    }

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");

    private static RootCommand Build(TextWriter output, TextWriter error, ConsoleStyle style)
    {
        var json = new Option<bool>("--json") { Description = "Write machine-readable JSON instead of text" };

        var parseFiles = new Argument<string[]>("files")
        {
            Description = "bpftrace programs to parse ('-' reads standard input)",
            Arity = ArgumentArity.OneOrMore,
        };
        var ast = new Option<bool>("--ast") { Description = "Also print each syntax tree as an S-expression" };
        var parse = new Command("parse", "Parse bpftrace programs and report every syntax error") { parseFiles, json, ast };
        parse.SetAction(result => ParseCommand.Run(result.GetValue(parseFiles) ?? [], result.GetValue(json), result.GetValue(ast), output, error, style));

        var formatFile = new Argument<string>("file") { Description = "The bpftrace program to format ('-' reads standard input)" };
        var write = new Option<bool>("--write", "-w") { Description = "Rewrite the file in place instead of printing" };
        var toVersion = new Option<string?>("--to")
        {
            Description = "Port the program to this bpftrace release's dialect (e.g. 0.17, 0.23, 0.27) where the meaning is unchanged; what cannot be ported is listed",
        };
        var format = new Command("fmt", "Print a bpftrace program in canonical form, or with --to VERSION ported to another bpftrace release") { formatFile, toVersion, json, write };
        format.SetAction(result => result.GetValue(toVersion) is { } to
            ? FormatCommand.Port(result.GetValue(formatFile) ?? "-", to, result.GetValue(json), result.GetValue(write), output, error, style)
            : FormatCommand.Run(result.GetValue(formatFile) ?? "-", result.GetValue(json), result.GetValue(write), output, error, style));

        var demo = new Command("demo", "Parse, print and check a bundled example (the main job, as far as it is built)");
        demo.SetAction(_ => DemoCommand.Run(output, style));

        var catalogOption = new Option<string?>("--catalog") { Description = "Use a catalog snapshot (from 'kgent catalog export') instead of the running kernel" };

        var pattern = new Argument<string?>("pattern") { Description = "A probe or wildcard pattern, e.g. 'tracepoint:syscalls:*open*' or 'openat'", Arity = ArgumentArity.ZeroOrOne };
        var hostOption = new Option<bool>("--host") { Description = "Report which probe types this kernel can attach, and why not the others" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show tracepoint fields and function parameters" };
        var all = new Option<bool>("--all") { Description = "Also list probes of types this host cannot attach (e.g. kprobes on a kernel without kprobes)" };
        var probes = new Command("probes", "List the probes this kernel offers (like 'bpftrace -l'), or with --host its probe-type support") { pattern, hostOption, verbose, all, catalogOption, json };
        probes.SetAction(result => ProbesCommand.Run(result.GetValue(pattern), result.GetValue(hostOption), result.GetValue(verbose), result.GetValue(all),
            result.GetValue(catalogOption), result.GetValue(json), output, error, style));

        var exportFile = new Argument<string>("file") { Description = "Where to write the snapshot (a zip with catalog.json and vmlinux.btf)" };
        var exportBpftrace = new BpftraceOptions().Bpftrace;
        var export = new Command("export", "Write this kernel's catalog (BTF, tracepoints, probe-type support, the bpftrace release) to a snapshot file") { exportFile, exportBpftrace };
        export.SetAction(result => CatalogCommand.Export(result.GetValue(exportFile)!, output, error, style, result.GetValue(exportBpftrace)));
        var catalogCommand = new Command("catalog", "Kernel catalog snapshots, for checking programs on another machine") { export };

        var bpftraceOptions = new BpftraceOptions();
        var checkFiles = new Argument<string[]>("files") { Description = "bpftrace programs to check ('-' reads standard input)", Arity = ArgumentArity.OneOrMore };
        var allowUnsafe = AllowUnsafeOption.Create("their calls are warnings instead of errors");
        var allowUnsafeLoad = AllowUnsafeOption.Create("the program may call them (bpftrace gets --unsafe only for system, signal and override)");
        var allowUnsafeSymbex = AllowUnsafeOption.Create("the program may call them and is still verified");
        var check = new Command("check", "Check programs against this kernel: probes, fields, structs, builtins, printf, maps, variables, safety")
        {
            checkFiles, catalogOption, allowUnsafe, bpftraceOptions.Bpftrace, bpftraceOptions.TargetVersion, json,
        };
        check.SetAction(result => CheckCommand.Run(result.GetValue(checkFiles) ?? [], result.GetValue(catalogOption), AllowUnsafeOption.Allowance(result.GetValue(allowUnsafe)),
            result.GetValue(json), output, error, style, bpftraceOptions.Values(result)));

        var symbexFile = new Argument<string>("file") { Description = "An annotated bpftrace program (assume/assert) ('-' reads standard input)" };
        var contractsOption = new Option<string?>("--contracts") { Description = "Directory of kernel contracts (default: the project's datasets/contracts)" };
        var smt2Option = new Option<string?>("--smt2") { Description = "Write every solver query to this directory as SMT-LIB 2 (replay with: z3 FILE)" };
        var timeoutOption = new Option<int?>("--timeout") { Description = "Solver timeout per query in milliseconds (default 2000)" };
        var loopBoundOption = new Option<int?>("--loop-bound") { Description = "While-loop iterations explored before a path is cut and its proofs become unknown (default 8)" };
        var budgetOption = new Option<int?>("--budget") { Description = "Seconds the whole verification may take before unfinished proofs become unknown (default 10)" };
        var symbexRequestOption = new Option<string?>("--request") { Description = "Also prove that the program does what this request asks (see kgent intent)" };
        var specOption = new Option<string?>("--spec") { Description = "Prove the program against this specification (JSON from kgent intent --json, edited)" };
        var symbex = new Command("symbex", "Prove a program's assert(...) statements with Z3 under its assume(...) and the kernel contracts, and with --request that it does what was asked")
        {
            symbexFile, symbexRequestOption, specOption, contractsOption, catalogOption, smt2Option, timeoutOption, loopBoundOption, budgetOption, allowUnsafeSymbex, json,
        };
        symbex.SetAction(result => SymbexCommand.Run(result.GetValue(symbexFile)!, result.GetValue(contractsOption), result.GetValue(catalogOption),
            result.GetValue(smt2Option), result.GetValue(timeoutOption), result.GetValue(loopBoundOption), result.GetValue(budgetOption),
            AllowUnsafeOption.Allowance(result.GetValue(allowUnsafeSymbex)), result.GetValue(json), output, error, style,
            result.GetValue(symbexRequestOption), result.GetValue(specOption)));

        var stripFile = new Argument<string>("file") { Description = "An annotated bpftrace program ('-' reads standard input)" };
        var strip = new Command("strip", "Print the program with its assume/assert annotations removed") { stripFile };
        strip.SetAction(result => StripCommand.Run(result.GetValue(stripFile)!, output, error, style));

        var verifyFile = new Argument<string>("file") { Description = "The bpftrace program to load ('-' reads standard input); annotations are stripped first" };
        var verifyTimeout = new Option<int?>("--timeout") { Description = "Seconds loading may take before it counts as a timeout (default 30, plus 0.1 s a probe)" };
        var verify = new Command("verify", "Load the program into this kernel's eBPF verifier and detach it at once; report the stage that rejects it")
        {
            verifyFile, allowUnsafeLoad, verifyTimeout, bpftraceOptions.Bpftrace, json,
        };
        verify.SetAction(result => VerifyCommand.Run(result.GetValue(verifyFile)!, AllowUnsafeOption.Allowance(result.GetValue(allowUnsafeLoad)), result.GetValue(verifyTimeout),
            result.GetValue(json), output, error, style, result.GetValue(bpftraceOptions.Bpftrace)));

        var runFile = new Argument<string>("file") { Description = "The bpftrace program to run ('-' reads standard input); annotations are stripped first" };
        var duration = new Option<string?>("--duration") { Description = "How long to trace (5s, 500ms, 2m; default 5s), or the most the workload may take" };
        var maxEvents = new Option<int?>("--max-events") { Description = "Stop after this many printf events" };
        var workload = new Option<string?>("--workload") { Description = "A shell command to run once tracing has started; tracing stops when it exits" };
        var run = new Command("run", "Run the program with bpftrace (never --unsafe) and print its output and maps as data")
        {
            runFile, duration, maxEvents, workload, allowUnsafeLoad, verifyTimeout, bpftraceOptions.Bpftrace, json,
        };
        run.SetAction(result => RunCommand.Run(result.GetValue(runFile)!, result.GetValue(duration), result.GetValue(maxEvents), result.GetValue(workload),
            AllowUnsafeOption.Allowance(result.GetValue(allowUnsafeLoad)), result.GetValue(verifyTimeout), result.GetValue(json), output, error, style,
            result.GetValue(bpftraceOptions.Bpftrace)));

        var cleanOption = new Option<bool>("--clean") { Description = "Stop the processes and remove the temporary folders that earlier runs left behind" };
        var doctor = new Command("doctor", "Check that this host can load and run programs (bpftrace, privileges, tracefs/debugfs, BTF, lockdown, Z3, the process guard; clang, libbpf, bpftool and vmlinux.h for C) and list what earlier runs left behind")
        {
            cleanOption, bpftraceOptions.Bpftrace, json,
        };
        doctor.SetAction(result => DoctorCommand.Run(result.GetValue(cleanOption), result.GetValue(json), output, style, result.GetValue(bpftraceOptions.Bpftrace)));

        var vmlinux = new Command("vmlinux", "Print the path of vmlinux.h for the running kernel (for CO-RE C programs), writing it into the cache when this kernel's BTF has none yet");
        vmlinux.SetAction(_ => VmlinuxCommand.Run(output, error));

        var storeOption = new Option<string?>("--store") { Description = "The example database (default: KGENT_EXAMPLES or ~/.local/share/kgent/examples.db)" };
        var limitOption = new Option<int>("--limit") { Description = "How many to list", DefaultValueFactory = _ => 50 };
        var listExamples = new Command("list", "List stored examples") { storeOption, limitOption, json };
        listExamples.SetAction(result => ExamplesCommand.List(result.GetValue(storeOption), result.GetValue(limitOption), result.GetValue(json), output, error, style));
        var requestOption = new Option<string>("--request") { Description = "What the program does, in plain English", Required = true };
        var sourceOption = new Option<string?>("--source") { Description = "Where the example comes from (default: user:PATH)" };
        var addFile = new Argument<string>("file") { Description = "The bpftrace program" };
        var addExample = new Command("add", "Add one request/program pair") { addFile, requestOption, sourceOption, storeOption };
        addExample.SetAction(result => ExamplesCommand.Add(result.GetValue(storeOption), result.GetValue(requestOption)!, result.GetValue(addFile)!,
            result.GetValue(sourceOption), output, error, style));
        var importPath = new Argument<string>("path") { Description = "A directory of .bt tools, one tool, the dataset directory (datasets/ebpfnl), or Kgent's libbpf C examples (datasets/libbpf-examples); default /usr/sbin", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "/usr/sbin" };
        var splitOption = new Option<string>("--split") { Description = "For a dataset: which split to import (train, test, all)", DefaultValueFactory = _ => "train" };
        splitOption.AcceptOnlyFromAmong("train", "test", "all");
        var importExamples = new Command("import", "Import bpftrace tools (header comment = request), the eBPFNL dataset or Kgent's libbpf C examples") { importPath, splitOption, storeOption };
        importExamples.SetAction(result => ExamplesCommand.Import(result.GetValue(storeOption), result.GetValue(importPath)!, result.GetValue(splitOption)!, output, error, style));
        var queryArgument = new Argument<string>("query") { Description = "A request, e.g. 'count file opens by process'" };
        var kOption = new Option<int>("-k") { Description = "How many examples to return", DefaultValueFactory = _ => 5 };
        var searchExamples = new Command("search", "The stored examples most similar to a request (BM25)") { queryArgument, kOption, storeOption, json };
        searchExamples.SetAction(result => ExamplesCommand.Search(result.GetValue(storeOption), result.GetValue(queryArgument)!, result.GetValue(kOption),
            result.GetValue(json), output, error, style));
        var examplesCommand = new Command("examples", "The example store (eBPFNL dataset): list, add, import, search") { listExamples, addExample, importExamples, searchExamples };

        var requestArgument = new Argument<string>("request") { Description = "What to trace, in plain English" };
        var modelOption = new Option<string?>("--model") { Description = "offline (the offline model, which composes programs), offline-retrieval (its retrieval-only baseline), or a model name on the configured endpoint; default: the configuration (kgent config)" };
        var triesOption = new Option<int>("--tries") { Description = "Attempts before giving up (default 3)", DefaultValueFactory = _ => 3 };
        var noKernel = new Option<bool>("--no-kernel") { Description = "Skip the kernel verifier (e.g. on a machine without bpftrace)" };
        var noRepair = new Option<bool>("--no-repair") { Description = "Never repair a candidate (a misspelt field, a missing ';', …); every failure goes back to the model" };
        var transcriptOption = new Option<string?>("--transcript") { Description = "Also write the whole transcript (prompts, replies, stage results, timings) as JSON to this file" };
        var suiteOption = new Option<string>("--suite") { Description = "The cases: a folder of YAML files (datasets/eval), one YAML file, or a text file of prompts, one per line", Required = true };
        var outOption = new Option<string?>("--out") { Description = "Where the results go; running again with the same folder resumes" };
        var configsOption = new Option<string?>("--configs") { Description = "Comma-separated configurations: few-shot, feedback, symbex, hints, kgent (default: all)" };
        var repsOption = new Option<int>("--reps") { Description = "Repetitions of each case per configuration", DefaultValueFactory = _ => 1 };
        var evalModelOption = new Option<string?>("--model") { Description = "offline, offline-retrieval (the offline model without composing: its baseline), or a model name on the configured endpoint" };
        var onlyOption = new Option<string?>("--only") { Description = "Comma-separated case ids or categories to run" };
        var hintsOption = new Option<string?>("--hints") { Description = "A text file of human hints, one per line in the cases' order (for a prompts file)" };
        var validateOption = new Option<bool>("--validate") { Description = "Check each oracle instead: its reference program must pass and its wrong program fail, on this kernel" };
        var evalNoRepair = new Option<bool>("--no-repair") { Description = "Never repair a candidate; every failure goes back to the model (to measure the model calls repairs save)" };
        var langOption = new Option<string>("--lang") { Description = "The language to write: bpftrace (default) or c (libbpf CO-RE C, compiled with clang and loaded through libbpf)", DefaultValueFactory = _ => "bpftrace" };
        langOption.AcceptOnlyFromAmong("bpftrace", "c");
        var eval = new Command("eval", "Evaluate the pipeline on a suite of cases with an automatic oracle: accuracy, false positives, false negatives per configuration")
        {
            suiteOption, outOption, configsOption, repsOption, evalModelOption, onlyOption, hintsOption, validateOption, evalNoRepair, langOption,
        };
        eval.SetAction(result => EvalCommand.Run(result.GetValue(suiteOption)!, result.GetValue(outOption), result.GetValue(configsOption), result.GetValue(repsOption),
            result.GetValue(evalModelOption), result.GetValue(onlyOption), result.GetValue(validateOption), result.GetValue(hintsOption), output, error, style,
            result.GetValue(evalNoRepair), result.GetValue(langOption) == "c"));

        var synth = new Command("synth", "English request to verified bpftrace program: synthesis, check, annotation, symbolic and kernel verification, with feedback")
        {
            requestArgument, modelOption, triesOption, storeOption, catalogOption, noKernel, noRepair, langOption, bpftraceOptions.Bpftrace, bpftraceOptions.TargetVersion, json, transcriptOption,
        };
        synth.SetAction(result => SynthCommand.Run(result.GetValue(requestArgument)!, result.GetValue(modelOption), result.GetValue(triesOption),
            result.GetValue(storeOption), result.GetValue(catalogOption), result.GetValue(noKernel), result.GetValue(json), result.GetValue(transcriptOption),
            output, error, style, bpftraceOptions.Values(result), result.GetValue(noRepair), result.GetValue(langOption) == "c"));

        var intentRequest = new Argument<string?>("request") { Description = "A request in plain English", Arity = ArgumentArity.ZeroOrOne };
        var intentSuite = new Option<string?>("--suite") { Description = "Run the intent-check suite (a datasets/intent folder or file) instead: every program against its request" };
        var intent = new Command("intent", "The intent specification of a request: events and their hooks, computation, key, filters, fields, unit (what symbex --request checks)")
        {
            intentRequest, intentSuite, catalogOption, contractsOption, json,
        };
        intent.SetAction(result => result.GetValue(intentSuite) is { } suitePath
            ? IntentSuiteCommand.Run(suitePath, result.GetValue(intentRequest), result.GetValue(catalogOption), result.GetValue(contractsOption), result.GetValue(json), output, error, style)
            : IntentCommand.Run(result.GetValue(intentRequest) ?? string.Empty, result.GetValue(catalogOption), result.GetValue(json), output, error, style));

        var config = new Command("config", "Show the effective model settings (config file + KGENT_* environment), the API key masked") { json };
        config.SetAction(result => ConfigCommand.Run(result.GetValue(json), output, style));

        var hookArgument = new Argument<string?>("hook") { Description = "Show one hook's contract, e.g. tcp_connect or sock:inet_sock_set_state", Arity = ArgumentArity.ZeroOrOne };
        var checkContracts = new Option<bool>("--check") { Description = "Validate every contract against the kernel catalog (hooks, parameters, fields, constants)" };
        var contractsCommand = new Command("contracts", "List, show or validate the kernel contracts (datasets/contracts)") { hookArgument, checkContracts, contractsOption, catalogOption };
        contractsCommand.SetAction(result => ContractsCommand.Run(result.GetValue(hookArgument), result.GetValue(checkContracts), result.GetValue(contractsOption),
            result.GetValue(catalogOption), output, error, style));

        var maxRun = new Option<int?>("--max-run") { Description = "The longest a run tool may trace, in seconds (default 60, at most 600)" };
        var mcpAllowUnsafe = AllowUnsafeOption.Create("programs agents send may call them (agents cannot allow more)");
        var mcp = new Command("mcp", "Serve Kgent's tools to coding agents over the Model Context Protocol (stdio): list_probes, probe_support, check, symbolic_verify, verify, run, synth, search_examples, show_contract")
        {
            mcpAllowUnsafe, maxRun, catalogOption, contractsOption, storeOption, modelOption, bpftraceOptions.Bpftrace, bpftraceOptions.TargetVersion,
        };
        mcp.SetAction(result => NumericOption.InRange(error, "--max-run", result.GetValue(maxRun), 1, 600, "seconds")
            ? Kgent.Cli.Mcp.McpCommand.Run(
                new Kgent.Kernel.Composition.WorkbenchOptions(result.GetValue(catalogOption), Contracts: result.GetValue(contractsOption), Store: result.GetValue(storeOption),
                    Model: result.GetValue(modelOption), Bpftrace: result.GetValue(bpftraceOptions.Bpftrace), TargetVersion: result.GetValue(bpftraceOptions.TargetVersion)),
                new Kgent.Cli.Mcp.McpPolicy(AllowUnsafeOption.Allowance(result.GetValue(mcpAllowUnsafe)), TimeSpan.FromSeconds(result.GetValue(maxRun) ?? 60),
                    result.GetValue(bpftraceOptions.Bpftrace)),
                error, style)
            : CommandLineErrors.ExitCode);

        var connectionFile = new Option<string>("--connection-file", "-f") { Description = "The connection file Jupyter writes for the kernel it starts", Required = true };
        var jupyterKernel = new Command("jupyter-kernel", "Kgent's native Jupyter kernel (started by Jupyter through the 'kgent' kernel spec that setup installs): each cell is one #!kgent stage") { connectionFile };
        jupyterKernel.SetAction(result => JupyterKernelCommand.Run(result.GetValue(connectionFile)!, error, style));

        return new RootCommand("Kgent: plain-English requests to verified eBPF programs")
        {
            parse,
            format,
            check,
            symbex,
            strip,
            contractsCommand,
            verify,
            run,
            doctor,
            vmlinux,
            examplesCommand,
            synth,
            intent,
            eval,
            config,
            probes,
            catalogCommand,
            demo,
            mcp,
            jupyterKernel,
        };
    }
}
