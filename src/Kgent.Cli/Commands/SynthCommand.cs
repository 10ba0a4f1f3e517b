using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Agent.Providers;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Examples;
using Spectre.Console;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent synth "REQUEST" [--model offline|NAME] [--tries N] [--store DB] [--catalog F] [--no-kernel] [--lang bpftrace|c] [--json] [--transcript FILE]</c>:
/// the whole loop, English request to verified program (<c>--lang c</c>: libbpf C, checked against the request through its lowering to bpftrace; a program with a construct Kgent does not model is "not checked" and exits 1). Exit 0 with a verified program; 1 when it gave up or the program it
/// returns is not verified (nothing to prove, an undecided obligation); 2 on setup problems.</summary>
public static class SynthCommand
{
    public static int Run(string request, string? model, int tries, string? store, string? catalogPath, bool noKernel, bool json, string? transcript,
        TextWriter output, TextWriter error, ConsoleStyle style, (string? Bpftrace, string? TargetVersion) release = default, bool noRepair = false, bool c = false)
    {
        if (tries is < 1 or > 10)
        {
            error.WriteLine("kgent: error: --tries must be between 1 and 10");
            return 2;
        }

        if (transcript is not null)
        {
            try
            {
                Kgent.Kernel.Platform.SafeFile.CheckWritable(transcript);
            }
            catch (Kgent.Kernel.Platform.FileWriteException e)
            {
                error.WriteLine($"kgent: error: --transcript: {e.Message}");
                return 2;
            }
        }

        using var workbench = CliWorkbench.Open(new WorkbenchOptions(catalogPath, Store: store, Model: model, Bpftrace: release.Bpftrace, TargetVersion: release.TargetVersion) { Repair = !noRepair },
            error, style);
        ISynthesisLoop loop;
        try
        {
            // Everything is loaded before the loop starts: a setup problem is one line and exit 2, never a half-run. The
            // contracts and the store load on the other core while this one reads the catalog, the settings and the release
            // (Z3 and the BTF get ready later, in the loop, when the request needs the solver). The offline model needs no contract before it has read the request and retrieved examples, so it starts
            // while they load; a model behind an endpoint is not called before they are known to load.
            workbench.Prefetch();
            _ = (workbench.Settings, workbench.Target, workbench.Catalog, workbench.Examples, workbench.Contracts);
            if (!workbench.Settings.IsOffline)
            {
                _ = workbench.Contracts.Contracts;
            }

            loop = c ? workbench.CLoop(tries, verifyInKernel: !noKernel) : workbench.Loop(tries, verifyInKernel: !noKernel);
        }
        catch (WorkbenchException e)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }

        SynthesisResult result;
        using var interrupt = new Interrupt();
        try
        {
            result = json ? loop.RunAsync(request, cancellation: interrupt.Token).GetAwaiter().GetResult()
                : style.IsInteractive && !Console.IsErrorRedirected ? WithSpinner(loop, request, interrupt.Token)
                : loop.RunAsync(request, new InlineProgress<string>(line => error.WriteLine(style.Dim($"kgent: {line}"))), interrupt.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"kgent: {interrupt.What}; nothing was added to the example store");
            return interrupt.ExitCode;
        }
        catch (Exception e) when (e is SynthesisRequestException or Kgent.Kernel.Libbpf.Toolchain.CToolchainException)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }
        catch (WorkbenchException e)
        {
            // The contracts, read while the loop started, could not be used.
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }
        catch (ModelProviderException e)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            if (transcript is not null && e.Partial is { } partial && WriteTranscript(transcript, partial, error, e.Message))
            {
                error.WriteLine($"kgent: the transcript up to the failure is in {transcript}");
            }

            return 2;
        }

        if (transcript is not null && !WriteTranscript(transcript, result, error))
        {
            return 2;
        }

        if (json)
        {
            output.WriteLine(SynthReport.From(result).ToJson());
        }
        else
        {
            SynthRenderer.Write(output, result, style);
        }

        return result is SynthesisResult.Succeeded { IsVerified: true } ? 0 : 1;
    }

    /// <summary>Writes the whole transcript (every attempt's prompt, reply, stage results, feedback, timings, tokens) as
    /// JSON, atomically (<see cref="Kgent.Kernel.Platform.SafeFile"/>), with every secret scrubbed.</summary>
    private static bool WriteTranscript(string path, SynthesisResult result, TextWriter error, string? failure = null)
    {
        try
        {
            var text = new StringWriter();
            text.WriteLine(SynthReport.From(result, failure).ToJson());
            Kgent.Kernel.Platform.SafeFile.WriteAllText(path, Kgent.Kernel.Platform.Secrets.Scrub(text.ToString()));
            return true;
        }
        catch (Kgent.Kernel.Platform.FileWriteException e)
        {
            error.WriteLine($"kgent: error: the transcript: {e.Message}");
            return false;
        }
    }

    /// <summary>On a terminal: a live Spectre.Console status line (on stderr) showing the stage being run, and one
    /// line per finished stage with its latency.</summary>
    private static SynthesisResult WithSpinner(ISynthesisLoop loop, string request, CancellationToken cancellation)
    {
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(Console.Error) });
        SynthesisResult? result = null;
        console.Status().Spinner(Spectre.Console.Spinner.Known.Dots).Start("starting", context =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string? current = null;
            var progress = new InlineProgress<string>(line =>
            {
                if (current is not null)
                {
                    console.MarkupLine($"[grey]{Spectre.Console.Markup.Escape(current)}[/] [dim]{clock.Elapsed.TotalMilliseconds:F0} ms[/]");
                }

                current = line;
                clock.Restart();
                context.Status(Spectre.Console.Markup.Escape(line));
            });
            result = loop.RunAsync(request, progress, cancellation).GetAwaiter().GetResult();
            if (current is not null)
            {
                console.MarkupLine($"[grey]{Spectre.Console.Markup.Escape(current)}[/] [dim]{clock.Elapsed.TotalMilliseconds:F0} ms[/]");
            }
        });
        return result!;
    }
}
