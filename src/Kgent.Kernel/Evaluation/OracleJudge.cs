using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;

namespace Kgent.Kernel.Evaluation;

/// <summary>Whether a program passed its case's oracle, and if not, every reason.</summary>
public sealed record OracleVerdict(bool Passed, ImmutableArray<string> Failures, string? Output)
{
    public static OracleVerdict Fail(params string[] failures) => new(false, [.. failures], null);
}

/// <summary>The automatic oracle: the program must attach to one of the case's acceptable probes, load, and — run for the
/// case's duration while its workload runs — satisfy every check on its output.</summary>
public static class OracleJudge
{
    /// <exception cref="OracleUnavailableException">This host cannot run programs at all (bpftrace missing, no privilege).</exception>
    public static OracleVerdict Judge(Oracle oracle, string program, ProbeCatalog? catalog = null, VerifyOptions? loading = null, CancellationToken cancellation = default)
    {
        var parse = BpftraceParser.Parse(program, "candidate.bt");
        if (parse.HasErrors)
        {
            return OracleVerdict.Fail("the program does not parse: " + parse.Diagnostics.First(d => d.Severity == Bpftrace.Diagnostics.DiagnosticSeverity.Error).Message);
        }

        var attached = parse.Program.Probes.SelectMany(p => p.AttachPoints).Select(a => a.CanonicalText).ToArray();
        if (!attached.Any(a => oracle.Probes.Any(p => Matches(p, a))))
        {
            return OracleVerdict.Fail($"attaches to {string.Join(", ", attached)}, none of the acceptable {string.Join(", ", oracle.Probes)}");
        }

        var run = ProgramRunner.Run(parse, new RunOptions(oracle.Duration, Workload: oracle.Workload, Verify: loading ?? new VerifyOptions(Catalog: catalog)), cancellation);
        return Judged(oracle, run, cancellation);
    }

    /// <summary>Judges a libbpf C program: it is compiled, must attach (by its sections) to one of the acceptable probes, and is
    /// run through libbpf with the case's workload; the output checks are the same.</summary>
    /// <exception cref="OracleUnavailableException">This host cannot run C programs (toolchain or libbpf missing, no privilege).</exception>
    public static OracleVerdict JudgeC(Oracle oracle, string program, ProbeCatalog? catalog = null, CancellationToken cancellation = default)
    {
        using var build = Libbpf.Compile.ClangCompiler.Compile(new Bpftrace.Text.SourceText(program, "candidate.bpf.c"));
        if (build.Problem is { } missing)
        {
            throw new OracleUnavailableException($"the oracle cannot build C programs on this host: {missing}");
        }

        if (build.Object is null)
        {
            return OracleVerdict.Fail("the program does not compile: " + build.Diagnostics.First(d => d.IsError).Message);
        }

        var attached = build.Object.Programs.Select(p => Libbpf.Check.ProgramSection.Parse(p.Section).AttachPoint).ToArray();
        if (!attached.Any(a => oracle.Probes.Any(p => Matches(p, a))))
        {
            return OracleVerdict.Fail($"attaches to {string.Join(", ", attached)}, none of the acceptable {string.Join(", ", oracle.Probes)}");
        }

        var run = Libbpf.Run.CProgramRunner.Run(build, new RunOptions(oracle.Duration, Workload: oracle.Workload, Verify: new VerifyOptions(Catalog: catalog)), cancellation);
        return Judged(oracle, run, cancellation);
    }

    private static OracleVerdict Judged(Oracle oracle, RunResult run, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        if (run.Load is LoadVerdict.Rejected { Stage: LoadStage.ToolMissing or LoadStage.Permission } host)
        {
            // Not the program's fault: every program would fail here, and counting them as false positives would lie.
            throw new OracleUnavailableException($"the oracle cannot run programs on this host: {host.Message}" + (host.Hint is null ? string.Empty : $" ({host.Hint})"));
        }

        if (run.Load is LoadVerdict.Rejected rejected)
        {
            return OracleVerdict.Fail($"does not load ({LoadDiagnostics.Stage(rejected.Stage)}): {rejected.Message}");
        }

        return Check(oracle, run);
    }

    /// <summary>The output checks alone, on a finished run.</summary>
    public static OracleVerdict Check(Oracle oracle, RunResult run)
    {
        var output = RunOutputText.Render(run);
        var pid = run.Workload?.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<no workload>";
        string Expand(string text) => text.Replace("{pid}", pid, StringComparison.Ordinal);
        var failures = new List<string>();
        foreach (var check in oracle.Checks)
        {
            var passed = check switch
            {
                OracleCheck.Contains c => output.Contains(Expand(c.Text), StringComparison.Ordinal),
                OracleCheck.Matches m => Regex.IsMatch(output, Expand(m.Pattern), RegexOptions.Multiline, TimeSpan.FromSeconds(1)),
                OracleCheck.Lines l => run.Printf.Length >= l.AtLeast,
                OracleCheck.HistogramSamples h => RunOutputText.HistogramSamples(run) >= h.AtLeast,
                OracleCheck.Count c => RunOutputText.Counts(run).Any(v => v >= c.AtLeast),
                _ => false,
            };
            if (!passed)
            {
                failures.Add(Expand(check.ToString()!) + " failed");
            }
        }

        if (run.Workload is { TimedOut: true })
        {
            failures.Add("the workload did not finish in time");
        }

        return new OracleVerdict(failures.Count == 0, [.. failures], output);
    }

    /// <summary>bpftrace-style wildcard match of an attach point (<c>*</c>, <c>?</c>), on canonical names.</summary>
    /// <summary>Whether an attach point is one the pattern accepts. A raw tracepoint observes the same event as its
    /// tracepoint (how a port to bpftrace 0.23 reads __data_loc fields), so <c>rawtracepoint:E</c> matches
    /// <c>tracepoint:C:E</c>.</summary>
    public static bool Matches(string pattern, string attachPoint)
    {
        var canonical = Canonical(pattern);
        if (attachPoint.StartsWith("rawtracepoint:", StringComparison.Ordinal) && canonical.StartsWith("tracepoint:", StringComparison.Ordinal))
        {
            canonical = "rawtracepoint:" + canonical[(canonical.LastIndexOf(':') + 1)..];
        }

        return Regex.IsMatch(attachPoint, "^" + Regex.Escape(canonical).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$");
    }

    private static string Canonical(string pattern)
    {
        var parse = BpftraceParser.Parse(pattern + " { }", "oracle");
        return parse.Program.Probes.FirstOrDefault()?.AttachPoints.FirstOrDefault()?.CanonicalText ?? pattern;
    }
}

/// <summary>The host cannot run programs (bpftrace missing, no privilege), so no program can be judged.</summary>
public sealed class OracleUnavailableException(string message) : Exception(message);
