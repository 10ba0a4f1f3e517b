using System.Reflection;
using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.KernelInfo.Host.Bpftrace;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent demo</c>: the main job as far as it exists today. It parses the bundled
/// <c>tcp_connect.bt</c> (the paper's case study, written for kernels without kprobes), prints its canonical
/// form, strips the Kgent annotations as the pipeline does before the kernel sees a program, and shows the
/// diagnostics Kgent gives for a program with typical mistakes, and proves (or refutes) the case study's port
/// assertion with the symbolic verifier against this kernel's catalog. Later stages grow this into the full
/// English-to-verified-program run.</summary>
public static class DemoCommand
{
    public const string Request = "trace TCP connects with their IPv4/IPv6 addresses and ports";

    public static int Run(TextWriter output, ConsoleStyle style)
    {
        var good = Load("tcp_connect.bt");
        var broken = Load("broken.bt");

        output.WriteLine(style.Bold("Kgent demo") + style.Dim(" - the front end, the checker, the symbolic verifier, then the whole loop from a request to a real run"));
        output.WriteLine();
        output.WriteLine(style.Bold("1. The request and a candidate program"));
        output.WriteLine($"   request:   \"{Request}\"");
        var result = BpftraceParser.Parse(good);
        var probes = result.Program.Probes.ToList();
        output.WriteLine($"   candidate: {good.Path} ({good.LineCount} lines, {probes.Count} probes: " +
                         string.Join(", ", probes.SelectMany(p => p.AttachPoints).Select(a => a.CanonicalText)) + ")");
        output.WriteLine($"   parse:     {(result.HasErrors ? style.Error("failed") : style.Good("ok"))}, {result.Diagnostics.Length} diagnostics, " +
                         $"{AnnotationStripper.CountAnnotations(result.Program)} Kgent annotations");
        DiagnosticRenderer.Write(output, result, style);
        output.WriteLine();

        output.WriteLine(style.Bold("2. Canonical form") + style.Dim(" (kgent fmt)"));
        output.Write(Indent(BpftracePrinter.Print(result)));
        output.WriteLine();

        output.WriteLine(style.Bold("3. What the kernel receives") + style.Dim(" (annotations stripped after verification)"));
        var stripped = AnnotationStripper.Strip(result.Program);
        var tracepointProbe = stripped.Probes.First(p => p.AttachPoints.Any(a => a.Type == ProbeType.Tracepoint));
        output.Write(Indent(BpftracePrinter.Print(stripped with { Items = [tracepointProbe], Comments = [] })));
        output.WriteLine();

        output.WriteLine(style.Bold("4. Diagnostics for a program with typical mistakes") + style.Dim($" ({broken.Path})"));
        var brokenResult = BpftraceParser.Parse(broken);
        DiagnosticRenderer.Write(output, brokenResult, style);
        output.WriteLine();

        // One session for the rest: this kernel's catalog, the project's contracts, the offline model and a store of its own.
        var store = Path.Combine(Path.GetTempPath(), $"kgent-demo-{Guid.NewGuid():N}.db");
        bool symbolicOk, loopOk;
        try
        {
            using var workbench = new Workbench(new WorkbenchOptions(Store: store, Model: "offline"));
            symbolicOk = Symbolic(workbench, output, style);
            loopOk = EndToEnd(workbench, output, style);
        }
        finally
        {
            foreach (var file in new[] { store, store + "-wal", store + "-shm" })
            {
                File.Delete(file);
            }
        }

        var parsed = (result.HasErrors ? 0 : 1) + (brokenResult.HasErrors ? 0 : 1);
        output.WriteLine($"parsed {parsed}/2 files ({brokenResult.Errors.Count()} errors in {broken.Path}, as intended)");
        return result.HasErrors || !brokenResult.HasErrors || !symbolicOk || !loopOk ? 1 : 0;
    }

    /// <summary>Step 6: the whole loop with the offline retrieval model, then a short real run of the result while a
    /// workload makes TCP connection attempts on loopback.</summary>
    private static bool EndToEnd(Workbench workbench, TextWriter output, ConsoleStyle style)
    {
        output.WriteLine(style.Bold("6. The whole loop") + style.Dim($" (kgent synth with the {OfflineRetrievalModel.Name}, then kgent run)"));
        if (LiveCatalog(workbench, output, style) is null)
        {
            return true;
        }

        if (workbench.Contracts.Contracts.IsEmpty || EbpfnlDataset.Locate() is null)
        {
            output.WriteLine(style.Warning("   skipped: datasets/contracts and datasets/ebpfnl were not found; run from the repository"));
            output.WriteLine();
            return true;
        }

        var kernel = BpftraceInfoReader.FindBpftrace() is not null && HostReadiness.Check().First(c => c.Name == "privileges").Ok;
        var result = workbench.Loop(verifyInKernel: kernel).RunAsync(Request).GetAwaiter().GetResult();
        var attempt = result.Attempts[^1];
        output.WriteLine($"   request:   \"{Request}\"");
        output.WriteLine($"   prompt:    {attempt.Prompt.Examples.Length} retrieved examples, best: \"{attempt.Prompt.Examples.FirstOrDefault()?.Example.Request}\"" +
            $" ({attempt.Prompt.UserMessage.Length:N0} characters)");
        output.WriteLine($"   candidate: {(attempt.Candidate is null ? "none" : $"{attempt.Candidate.Split('\n').Length - 1} lines")}");
        output.WriteLine($"   annotated: {(attempt.Annotated is null ? "no annotations" : $"{attempt.Annotated.Split('\n').Count(l => l.TrimStart().StartsWith("assume(", StringComparison.Ordinal) || l.TrimStart().StartsWith("assert(", StringComparison.Ordinal))} annotations from the contracts")}");
        if (attempt.Intent is { } intent)
        {
            // The symbolic verifier ran inside the intent check: its queries decided the filters and the assertions.
            output.WriteLine($"   symbolic:  {intent.Symbolic?.Queries.Length ?? 0} Z3 queries for the filters and assertions");
            output.WriteLine($"   intent:    {intent.VerdictText} ({intent.Results.Count(r => r.Outcome == ObligationOutcome.Proved)} of {intent.Results.Length} obligations proved)");
        }
        else
        {
            output.WriteLine($"   symbolic:  {attempt.Symbolic?.Overall.Display() ?? "not run"}");
        }

        output.WriteLine($"   kernel:    {(attempt.Load is null ? "not run (needs bpftrace and root)" : attempt.Load.IsAccepted ? "accepted" : "rejected")}");
        if (result is not SynthesisResult.Succeeded success)
        {
            output.WriteLine(style.Error($"   gave up after {result.Attempts.Length} attempts"));
            return false;
        }

        output.WriteLine(success.IsVerified
            ? style.Good($"   verified program (attempt {success.Attempts.Length}):")
            : style.Warning($"   program, not verified: {success.Verdict} (attempt {success.Attempts.Length}):"));
        output.Write(Indent(success.Program));
        if (!kernel)
        {
            output.WriteLine(style.Warning("   the real run needs bpftrace and root; skipped"));
            output.WriteLine();
            return true;
        }

        var run = ProgramRunner.Run(BpftraceParser.Parse(success.Program, "synthesized.bt"), new RunOptions(TimeSpan.FromSeconds(10),
            Workload: "bash -c 'for port in 9 19 4242; do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; done'"));
        output.WriteLine(style.Bold("   real run") + style.Dim(" (workload: three TCP connection attempts on loopback):"));
        foreach (var line in run.Printf)
        {
            output.Write("     " + line);
        }

        output.WriteLine(style.Dim($"   {run.Printf.Length} events, stopped by {run.StoppedBy}"));
        output.WriteLine();
        return run.Succeeded && run.Printf.Length > 0;
    }

    /// <summary>Step 5: the symbolic verifier on the case study's tracepoint variant, raw port (refuted) and corrected (verified),
    /// against this kernel's catalog and the project's contracts.</summary>
    private static bool Symbolic(Workbench workbench, TextWriter output, ConsoleStyle style)
    {
        output.WriteLine(style.Bold("5. Symbolic verification with Z3") + style.Dim(" (kgent symbex, kernel contracts from datasets/contracts)"));
        if (workbench.Contracts.Contracts.IsEmpty)
        {
            output.WriteLine(style.Warning("   skipped: the contract dataset (datasets/contracts) was not found; run from the repository or set KGENT_CONTRACTS"));
            output.WriteLine();
            return true;
        }

        if (LiveCatalog(workbench, output, style) is not { } catalog)
        {
            return true;
        }

        var options = new SymbolicOptions(workbench.Contracts);
        var ok = true;
        foreach (var (name, expected) in new[] { ("inet_sock_set_state_raw_port.annotated.bt", VerdictKind.Counterexample), ("inet_sock_set_state.annotated.bt", VerdictKind.Verified) })
        {
            var source = Load(name, "case-study");
            try
            {
                var symbolic = SymbolicVerifier.Verify(BpftraceParser.Parse(source), catalog, options);
                output.WriteLine($"   {source.Path}: {symbolic.Overall.Display()}" + style.Dim($" (expected {expected.Display()})"));
                using var writer = new StringWriter();
                SymbexRenderer.Write(writer, symbolic with { Notes = [] }, style);
                output.Write(Indent(writer.ToString()));
                ok &= symbolic.Overall == expected;
            }
            catch (SolverUnavailableException e)
            {
                output.WriteLine(style.Error($"   {e.Message}") + $"\n   help: {e.Fix}");
                return false;
            }
        }

        output.WriteLine();
        return ok;
    }

    /// <summary>This kernel's catalog, or null after saying why the step is skipped.</summary>
    private static ProbeCatalog? LiveCatalog(Workbench workbench, TextWriter output, ConsoleStyle style)
    {
        try
        {
            return workbench.LoadLiveCatalog();
        }
        catch (WorkbenchException e)
        {
            output.WriteLine(style.Warning($"   skipped: this kernel's catalog cannot be read ({e.Message})"));
            output.WriteLine();
            return null;
        }
    }

    private static SourceText Load(string name, string folder = "examples")
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream($"{folder}/{name}")
            ?? throw new InvalidOperationException($"the bundled example {name} is missing from this build");
        using var reader = new StreamReader(stream);
        return new SourceText(reader.ReadToEnd(), $"{folder}/{name}");
    }

    private static string Indent(string text) =>
        string.Concat(text.Split('\n').Select((line, i) => line.Length == 0 ? (i == 0 ? string.Empty : "\n") : "   " + line + "\n")).TrimEnd('\n') + "\n";
}
