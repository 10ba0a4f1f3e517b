using System.Collections.Immutable;
using System.Diagnostics;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Check;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Native;
using Kgent.Kernel.Libbpf.Toolchain;

namespace Kgent.Kernel.Libbpf.Verify;

/// <summary>The kernel verifier stage for C programs: the compiled object is checked (hooks, context structs, safety), then
/// loaded through libbpf (maps created, CO-RE relocations applied, every program through the kernel verifier) and closed
/// at once, so nothing is attached and nothing stays loaded. A function from a <see cref="CBuild"/> to the same
/// <see cref="LoadVerdict"/> bpftrace programs get, with the same stages; a rejection names the C line the verifier
/// stopped at. It never throws for a bad program, a missing library or missing privileges.</summary>
public static class CKernelLoader
{
    /// <param name="check">The program's check when the caller made it already with the same catalog and allowance (the
    /// loop shows its diagnostics); null: it is made here.</param>
    public static LoadVerdict Verify(CBuild build, CVerifyOptions? options = null, CancellationToken cancellation = default, CCheckResult? check = null)
    {
        using var capture = LibbpfLog.Begin(LibbpfLog.Info);
        var (loaded, verdict) = Load(build, options ?? CVerifyOptions.Default, capture, cancellation, check);
        loaded?.Dispose();
        return verdict;
    }

    /// <summary>Checks and loads the object; on acceptance the caller gets the loaded object (programs and maps in the
    /// kernel, nothing attached) and disposes it.</summary>
    internal static (LibbpfObject? Loaded, LoadVerdict Verdict) Load(CBuild build, CVerifyOptions options, LibbpfLog.Capture capture, CancellationToken cancellation,
        CCheckResult? check = null)
    {
        if (Precheck(build, options, check) is { } refused)
        {
            return (null, refused);
        }

        cancellation.ThrowIfCancellationRequested();
        if (CToolchain.LibbpfVersion(out var missing) is null)
        {
            return (null, new LoadVerdict.Rejected(LoadStage.ToolMissing, missing!, null, $"install libbpf: {CToolchain.InstallCommand}", string.Empty));
        }

        var bpfObject = build.Object!;
        var clock = Stopwatch.StartNew();
        var opened = LibbpfObject.Open(bpfObject.Path, out var openError);
        if (opened is null)
        {
            var said = LastWarning(capture.Lines) ?? $"error {openError}";
            return (null, new LoadVerdict.Rejected(LoadStage.Codegen, $"libbpf could not open the object: {said}", null,
                "check the SEC(\"...\") names and the maps' definitions", Tail(capture.Lines)));
        }

        opened.CaptureVerifierLogs();
        var result = opened.Load();
        var elapsed = clock.Elapsed;
        var lines = capture.Lines;
        if (result == 0)
        {
            var warnings = build.Diagnostics.Where(d => !d.IsError).Select(d => $"{d.Code}: {d.Message}").ToImmutableArray();
            return (opened, new LoadVerdict.Accepted([.. bpfObject.Programs.Select(p => p.Section)], elapsed, warnings));
        }

        using (opened)
        {
            var failed = CVerifierLog.FailedProgram(lines);
            var log = failed is null ? [] : CVerifierLog.Split(opened.LogOf(failed));
            return (null, Rejected(build, -result, lines, failed, log));
        }
    }

    /// <summary>What needs no kernel: the toolchain, clang's errors, and the check against the catalog and the policy.</summary>
    internal static LoadVerdict.Rejected? Precheck(CBuild build, CVerifyOptions options, CCheckResult? check = null)
    {
        if (build.Problem is { } problem)
        {
            return new LoadVerdict.Rejected(LoadStage.ToolMissing, problem, null, $"install the toolchain: {CToolchain.InstallCommand}", string.Empty);
        }

        check ??= CProgramChecker.Check(build, options.Catalog, options.Allowed);
        if (check.Errors.OrderBy(e => Priority(e)).FirstOrDefault() is not { } error)
        {
            return null;
        }

        return new LoadVerdict.Rejected(StageOf(error), error.Message, error.Span, error.Hint ?? DefaultHint(error), string.Empty);
    }

    /// <summary>The stage a check diagnostic stands for: clang's syntax errors are the parse stage, its other errors and
    /// Kgent's hook checks the semantic stage; the policy and attach checks their own.</summary>
    public static LoadStage StageOf(Diagnostic diagnostic) => diagnostic.Code switch
    {
        "KG8001" when IsSyntax(diagnostic.Message) => LoadStage.Parse,
        "KG8009" or "KG8012" => LoadStage.Policy,
        "KG8005" => LoadStage.Attach,
        "KG8010" => LoadStage.ToolMissing,
        _ => LoadStage.Semantic,
    };

    private static int Priority(Diagnostic diagnostic) => diagnostic.Code is "KG8009" or "KG8012" ? 0 : 1;

    private static bool IsSyntax(string message) =>
        message.StartsWith("expected ", StringComparison.Ordinal) || message.StartsWith("extraneous ", StringComparison.Ordinal)
        || message.Contains("unterminated", StringComparison.Ordinal) || message.StartsWith("unknown type name", StringComparison.Ordinal)
        || message.Contains("missing terminating", StringComparison.Ordinal);

    private static string? DefaultHint(Diagnostic diagnostic) => diagnostic.Code == "KG8001" ? "fix the C error clang reports" : null;

    private static LoadVerdict.Rejected Rejected(CBuild build, int errno, IReadOnlyList<string> lines, string? failed, IReadOnlyList<string> log)
    {
        var bpfObject = build.Object!;
        var program = bpfObject.Programs.FirstOrDefault(p => p.Function == failed);
        var probe = program?.Section ?? failed ?? "the program";
        var raw = Tail([.. lines, .. log.TakeLast(60)]);
        if (log.Count == 0)
        {
            // No verifier log: the kernel refused before verifying (privileges), or libbpf stopped first (maps, relocations).
            if (errno == 1)
            {
                return new LoadVerdict.Rejected(LoadStage.Permission, "not permitted to load BPF programs (EPERM)", null,
                    "run as root, or with CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE (e.g. sudo kgent ...)", raw);
            }

            var said = LastWarning(lines) ?? $"error {errno}";
            return new LoadVerdict.Rejected(LoadStage.Codegen, $"libbpf could not load the object: {said}", program is null ? null : CProgramChecker.SectionSpan(build.Source, program),
                "check the maps' definitions and the kernel types the program reads", raw);
        }

        var rejection = VerifierLogReader.Read(log, probe);
        var line = CVerifierLog.RejectedLine(log, rejection, program, build.CompiledFile ?? build.Source.Path);
        var span = line is { } at ? CLineText.Code(build.Source, at.Line) : program is null ? (TextSpan?)null : CProgramChecker.SectionSpan(build.Source, program);
        var message = rejection?.Message ?? "rejected";
        var relocation = log.FirstOrDefault(l => l.StartsWith("failed to resolve CO-RE relocation", StringComparison.Ordinal));
        if (relocation is not null)
        {
            return new LoadVerdict.Rejected(LoadStage.Semantic, $"{probe}: a kernel type or field the program reads does not exist in this kernel ({relocation})", span,
                "read only fields vmlinux.h declares for this kernel, or guard the read with bpf_core_field_exists()", raw, rejection);
        }

        return new LoadVerdict.Rejected(LoadStage.KernelVerifier, $"the kernel verifier rejected {probe}: {message}", span, Hint(message), raw, rejection);
    }

    /// <summary>What to do about the verifier's most common complaints in C.</summary>
    private static string Hint(string message) => message switch
    {
        _ when message.Contains("invalid mem access 'scalar'", StringComparison.Ordinal) || message.Contains("invalid mem access 'inv'", StringComparison.Ordinal) =>
            "the pointer is not one the verifier can check: copy through it with bpf_probe_read_user() (user memory) or bpf_probe_read_kernel()/BPF_CORE_READ() (kernel memory)",
        _ when message.Contains("map_value_or_null", StringComparison.Ordinal) =>
            "bpf_map_lookup_elem() may return NULL: check the pointer before using it",
        _ when message.Contains("R0 !read_ok", StringComparison.Ordinal) || message.Contains("R0 invalid", StringComparison.Ordinal) => "return a value from the program",
        _ when message.Contains("invalid indirect read from stack", StringComparison.Ordinal) || message.Contains("!read_ok", StringComparison.Ordinal) =>
            "a variable or struct on the stack is used before it is fully set: initialise it (e.g. = {}) or __builtin_memset it",
        _ when message.Contains("pointer and register with unbounded min value", StringComparison.Ordinal) =>
            "bound the index before using it: if (i >= N) return 0; (with an unsigned type) or i &= N - 1",
        _ when message.Contains("unbounded", StringComparison.Ordinal) || message.Contains("min value is negative", StringComparison.Ordinal)
            || message.Contains("max value is outside", StringComparison.Ordinal) || message.Contains("out of bound", StringComparison.Ordinal) =>
            "bound the index or size before using it (e.g. if (i >= N) return 0; or & (N - 1))",
        _ when message.Contains("infinite loop", StringComparison.Ordinal) || message.Contains("back-edge", StringComparison.Ordinal) =>
            "every loop needs a bound the verifier can see: a constant trip count, or bpf_loop()",
        _ when message.Contains("too large", StringComparison.Ordinal) || message.Contains("complexity limit", StringComparison.Ordinal) =>
            "the program needs more than 1,000,000 verifier steps: shrink loops or split the work",
        _ when message.Contains("reference leak", StringComparison.Ordinal) || message.Contains("Unreleased reference", StringComparison.Ordinal) =>
            "every path must hand back what it acquired: bpf_ringbuf_submit() or bpf_ringbuf_discard() a reserved record, release a looked-up socket",
        _ when message.Contains("expected=ringbuf_mem", StringComparison.Ordinal) =>
            "a ring buffer record can be submitted or discarded once, and not used after that",
        _ when message.Contains("expected prog array map", StringComparison.Ordinal) =>
            "bpf_tail_call() takes a BPF_MAP_TYPE_PROG_ARRAY map",
        _ when message.Contains("cannot pass map_type", StringComparison.Ordinal) || message.Contains("invalid zero-sized read", StringComparison.Ordinal) =>
            "the helper does not take this type of map: ring buffers take bpf_ringbuf_output()/reserve(), perf event arrays bpf_perf_event_output(), hashes and arrays lookup/update",
        _ when message.Contains("write into map forbidden", StringComparison.Ordinal) =>
            "const volatile globals live in a frozen read-only map: set them from user space before loading, or use a non-const global or an array map",
        _ when message.Contains("invalid bpf_context access", StringComparison.Ordinal) || message.Contains("ctx", StringComparison.Ordinal) =>
            "a tracepoint's record is read-only and bounded: read its fields (or ctx->args[N]) with constant offsets, and copy what it points to with bpf_probe_read_*()",
        _ when message.Contains("GPL", StringComparison.Ordinal) => "add: char LICENSE[] SEC(\"license\") = \"GPL\";",
        _ when message.Contains("stack", StringComparison.Ordinal) => "a BPF program has 512 bytes of stack: put large buffers in a per-CPU array map",
        _ when message.Contains("unknown func", StringComparison.Ordinal) || message.Contains("program of this type cannot use helper", StringComparison.Ordinal) =>
            "this helper is not available to this program type here: use another helper or another hook",
        _ => "see the verifier message and the log's tail",
    };

    private static string? LastWarning(IReadOnlyList<string> lines) =>
        lines.LastOrDefault(l => l.StartsWith("libbpf: ", StringComparison.Ordinal) && !l.Contains("failed to load object", StringComparison.Ordinal))?["libbpf: ".Length..].Trim()
        ?? lines.LastOrDefault(l => l.Trim().Length > 0)?.Trim();

    private static string Tail(IReadOnlyList<string> lines) => string.Join('\n', lines.TakeLast(60));
}
