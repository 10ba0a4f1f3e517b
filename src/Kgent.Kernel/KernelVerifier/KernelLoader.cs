using System.Collections.Immutable;
using System.Globalization;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>The kernel verifier stage: loads a program into the real kernel and detaches it at once, using bpftrace's
/// "all probes attached" marker, which every release from 0.17 to 0.27 prints; from 0.22 on bpftrace also gets
/// <c>--dry-run</c> (attach every probe, then exit), so it stops by itself. A function from a parsed
/// program to a <see cref="LoadVerdict"/>; it never throws for a bad program, a missing tool or missing privileges.</summary>
public static class KernelLoader
{
    /// <summary>Loads the program and detaches it at once. A cancelled load kills bpftrace (nothing stays attached) and
    /// throws <see cref="OperationCanceledException"/>.</summary>
    public static LoadVerdict Verify(ParseResult program, VerifyOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= VerifyOptions.Default;
        if (Precheck(program, options) is { } refused)
        {
            return refused;
        }

        var bpftrace = options.Installation(out _)!;
        var budget = LoadBudget.For(program.Program, options.Catalog, options.Timeout);
        using var command = BpftraceCommand.Create(program, bpftrace);
        var first = Load(bpftrace, command, options, budget, verbose: false, cancellation, program);
        if (first.Verdict is not LoadVerdict.Rejected { Stage: LoadStage.KernelVerifier } rejected || !options.FetchVerifierLog)
        {
            return Locate(first, program, options);
        }

        // The verifier's log only comes with -v; load once more to read it.
        var verbose = Load(bpftrace, command, options, budget, verbose: true, cancellation, program);
        var probe = ProbeNamed(verbose.Stderr) ?? ProbeNamed(first.Stderr) ?? string.Empty;
        probe = FindAttachPoint(program, probe)?.CanonicalText ?? probe;
        var log = VerifierLogReader.Read(verbose.Stderr, probe);
        var message = log is null ? rejected.Message : $"the kernel verifier rejected {probe}: {log.Message}";
        var detailed = rejected with { Message = message, Verifier = log, RawLog = string.Join('\n', verbose.Stderr.TakeLast(60)) };
        return Locate(first with { Verdict = detailed }, program, options);
    }

    /// <summary>Checks that need no kernel: the safety policy (first: it reads tokens, so it holds for a program that does
    /// not parse too), syntax, bpftrace's presence.</summary>
    internal static LoadVerdict.Rejected? Precheck(ParseResult program, VerifyOptions options)
    {
        if (Safety.SafetyPolicy.Review(program, options.Allowed) is { IsSafe: false } review)
        {
            var first = review.Refused.FirstOrDefault();
            return new LoadVerdict.Rejected(LoadStage.Policy,
                $"refused by Kgent's safety policy: {review.Reason}",
                first?.Span, first?.Hint ?? "simplify the program's macros", string.Empty);
        }

        if (program.Diagnostics.FirstOrDefault(d => d.IsError) is { } syntax)
        {
            return new LoadVerdict.Rejected(LoadStage.Parse, syntax.Message, syntax.Span, syntax.Hint, string.Empty);
        }

        if (options.Installation(out var problem) is null)
        {
            return new LoadVerdict.Rejected(LoadStage.ToolMissing, problem!,
                null, "install it: apt-get install -y bpftrace (scripts/setup.sh does this), or name one with --bpftrace", string.Empty);
        }

        return null;
    }

    /// <summary>One bpftrace run: its verdict, its stderr and, for rejections, the original program's position it names.</summary>
    private sealed record LoadAttempt(LoadVerdict Verdict, IReadOnlyList<string> Stderr, LinePosition? Position = null, int Length = 1);

    private static LoadAttempt Load(KernelInfo.Host.Bpftrace.BpftraceInstallation bpftrace, BpftraceCommand command, VerifyOptions options, LoadBudget budget, bool verbose, CancellationToken cancellation,
        ParseResult program)
    {
        var (executable, arguments) = CommandLine(bpftrace, command.FileForBpftrace, options, [.. bpftrace.HasDryRun ? ["--dry-run"] : Array.Empty<string>(), .. verbose ? ["-v"] : Array.Empty<string>()], program);
        using var process = BpftraceProcess.Start(executable, arguments, 4 << 20, command.Directory, out var problem);
        if (process is null)
        {
            return new LoadAttempt(new LoadVerdict.Rejected(LoadStage.ToolMissing, problem!, null, "check that bpftrace runs: bpftrace --version", string.Empty), []);
        }

        var attached = process.WaitForAttach(budget.Load, cancellation);
        if (cancellation.IsCancellationRequested)
        {
            process.Kill();
            cancellation.ThrowIfCancellationRequested();
        }

        if (!attached && !process.HasExited)
        {
            process.Kill();
            return new LoadAttempt(TimedOut(budget, process.Stderr), process.Stderr);
        }

        var killed = attached && process.Stop(budget.Detach);
        process.WaitForExit(budget.Detach);
        // With --dry-run bpftrace prints no marker: it attaches every probe, exits 0, and that is the verdict.
        attached = attached || (bpftrace.HasDryRun && process.HasExited && process.ExitCode == 0);
        var stderr = process.Stderr;
        var raw = string.Join('\n', stderr);
        if (killed)
        {
            return new LoadAttempt(new LoadVerdict.Rejected(LoadStage.Timeout,
                $"bpftrace attached the program but did not stop within {Seconds(budget.Detach)} s of being asked ({budget.Probes} probe{(budget.Probes == 1 ? "" : "s")}); it was killed",
                null, "detaching takes the kernel about 75 ms a probe here; a program with fewer probes stops sooner", raw, ExitCode: null), stderr);
        }

        var skipped = stderr.FirstOrDefault(l => l.Contains("could not attach probe", StringComparison.Ordinal)
            || l.Contains("Could not read symbols", StringComparison.Ordinal));
        if (attached && process.ExitCode == 0 && skipped is null)
        {
            var warnings = stderr.Where(l => l.Contains("WARNING", StringComparison.Ordinal)).ToImmutableArray();
            return new LoadAttempt(new LoadVerdict.Accepted([], process.AttachedAfter ?? process.Elapsed, warnings), stderr);
        }

        if (attached && process.ExitCode == 0 && skipped is not null)
        {
            return new LoadAttempt(new LoadVerdict.Rejected(LoadStage.Attach, StderrClassifier.Message(skipped), null, null, raw, ExitCode: 0), stderr);
        }

        var (stage, message, position, length) = StderrClassifier.Classify(stderr, process.ExitCode);
        LinePosition? original = position is { } at ? new LinePosition(command.OriginalLine(at.Line), at.Column) : null;
        return new LoadAttempt(new LoadVerdict.Rejected(stage, message, null, null, raw, ExitCode: process.ExitCode), stderr, original, length ?? 1);
    }

    /// <summary>The verdict for a load that did not finish within its budget.</summary>
    internal static LoadVerdict.Rejected TimedOut(LoadBudget budget, IReadOnlyList<string> stderr) =>
        new(LoadStage.Timeout, $"bpftrace did not finish loading the program within {Seconds(budget.Load)} s",
            null, "a very large program can keep the kernel verifier busy; simplify loops, or give more time with --timeout SECONDS",
            string.Join('\n', stderr), ExitCode: null);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>bpftrace's command line: <c>--unsafe</c> only when the user allowed, by name, a builtin that needs it and the
    /// program uses it.</summary>
    internal static (string Executable, IReadOnlyList<string> Arguments) CommandLine(KernelInfo.Host.Bpftrace.BpftraceInstallation bpftrace, string file,
        VerifyOptions options, IReadOnlyList<string> extra, ParseResult? program = null)
    {
        if (program is not null && options.Allowed is { IsEmpty: false } && Safety.SafetyPolicy.Review(program, options.Allowed).NeedsUnsafeFlag)
        {
            extra = [.. extra, "--unsafe"];
        }

        IReadOnlyList<string> command = [.. options.CommandPrefix ?? [], .. bpftrace.Command, .. extra, file];
        return (command[0], [.. command.Skip(1)]);
    }

    /// <summary>Turns positions into spans of the original program, points verifier and attach failures at their probe,
    /// and explains kprobe attach failures on a kernel without kprobes.</summary>
    private static LoadVerdict Locate(LoadAttempt attempt, ParseResult program, VerifyOptions options)
    {
        if (attempt.Verdict is LoadVerdict.Accepted accepted)
        {
            return accepted with { Probes = [.. program.Program.Probes.SelectMany(p => p.AttachPoints).Select(a => a.Text)] };
        }

        var rejected = (LoadVerdict.Rejected)attempt.Verdict;
        if (attempt.Position is { } position)
        {
            var start = program.Source.GetOffset(position);
            rejected = rejected with { Span = new TextSpan(start, Math.Min(attempt.Length, Math.Max(0, program.Source.Length - start))) };
        }

        // "tracepoint not found: C:E" comes with the whole probe's line range: point at the attach point itself.
        var missing = rejected.Message.StartsWith("tracepoint not found: ", StringComparison.Ordinal)
            ? FindAttachPoint(program, "tracepoint:" + rejected.Message["tracepoint not found: ".Length..].Trim())
            : null;
        if (missing is not null)
        {
            rejected = rejected with { Span = missing.Span };
        }

        var named = ProbeNamed(rejected.RawLog.Split('\n')) ?? QuotedProbe(rejected.Message);
        // Else the attach point bpftrace's position points at (0.27: "FILE:1:1-16: ERROR: No matches for kprobe vfs_read").
        var attachPoint = (named is null ? null : FindAttachPoint(program, named))
            ?? (rejected.Span is { } at ? program.Program.Probes.SelectMany(p => p.AttachPoints).FirstOrDefault(a => at.Start >= a.Span.Start && at.Start < a.Span.End) : null);
        if (rejected.Span is null && attachPoint is not null)
        {
            rejected = rejected with { Span = attachPoint.Span };
        }

        if (rejected.Stage == LoadStage.Attach && attachPoint is { Type: ProbeType.Kprobe or ProbeType.Kretprobe } kprobe && !KprobesAvailable(options))
        {
            var function = kprobe.Parts[^1].Split('+')[0];
            var alternatives = options.Catalog is null ? [] : TracepointAlternatives.For(function, options.Catalog);
            rejected = rejected with
            {
                Message = $"{kprobe.Text} cannot attach: " +
                    (options.Catalog?.Host.SupportOf(ProbeType.Kprobe).Reason is { Length: > 0 } reason ? reason : "this kernel has no kprobes"),
                Hint = alternatives.Count == 0
                    ? "use a tracepoint instead ('kgent probes tracepoint:*WORD*' lists them)"
                    : $"use a tracepoint instead: {string.Join(", ", alternatives)}",
            };
        }

        rejected = rejected with { Hint = rejected.Hint ?? DefaultHint(rejected) };
        return rejected;
    }

    private static bool KprobesAvailable(VerifyOptions options) =>
        options.Catalog?.Host.CanAttach(ProbeType.Kprobe) ?? (File.Exists("/sys/kernel/tracing/kprobe_events") || Directory.Exists("/sys/bus/event_source/devices/kprobe"));

    private static string? DefaultHint(LoadVerdict.Rejected rejected) => rejected.Stage switch
    {
        LoadStage.Permission => "run as root, or give bpftrace CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE (e.g. sudo kgent ...)",
        LoadStage.KernelVerifier => rejected.Verifier?.Message switch
        {
            { } m when m.Contains("infinite loop", StringComparison.Ordinal) => "the verifier needs every loop to end: bound the while loop with a counter",
            { } m when m.Contains("too large", StringComparison.Ordinal) => "the program needs more than 1,000,000 verifier steps: shrink loops or split the probe",
            _ => "see the verifier message; rerun with bpftrace -v for the whole log",
        },
        LoadStage.Codegen => "C headers and struct definitions go through clang: prefer BTF types over #include; keep stack use under 512 bytes",
        _ => null,
    };

    private static string? ProbeNamed(IEnumerable<string> stderr)
    {
        foreach (var line in stderr)
        {
            // 0.17: "Error loading program: tracepoint:a:b"; 0.23 and later: "Error loading BPF program for tracepoint_a_b_1."
            foreach (var marker in new[] { "Error loading program: ", "Error loading BPF program for ", "Error attaching probe: ", "could not attach probe " })
            {
                var at = line.IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    var rest = line[(at + marker.Length)..].Trim().Trim('\'');
                    var end = rest.IndexOfAny([' ', '\'', ',']);
                    return (end < 0 ? rest : rest[..end]).TrimEnd('.');
                }
            }
        }

        return null;
    }

    private static string? QuotedProbe(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }

    private static AttachPoint? FindAttachPoint(ParseResult program, string probe) =>
        program.Program.Probes.SelectMany(p => p.AttachPoints)
            .FirstOrDefault(a => a.CanonicalText == probe || a.Text == probe || (a.Type == ProbeType.Begin && probe == "BEGIN") || (a.Type == ProbeType.End && probe == "END")
                || IsProgramName(a, probe));

    /// <summary>bpftrace 0.23 and later name a probe's BPF program after it: <c>tracepoint_syscalls_sys_enter_openat_1</c>.</summary>
    private static bool IsProgramName(AttachPoint attachPoint, string name)
    {
        var stem = attachPoint.CanonicalText.Replace(':', '_');
        return name.StartsWith(stem + "_", StringComparison.Ordinal) && name[(stem.Length + 1)..].All(char.IsAsciiDigit);
    }
}
