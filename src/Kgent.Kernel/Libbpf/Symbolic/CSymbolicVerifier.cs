using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Libbpf.Check;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Lowering;
using Kgent.Kernel.Symbolic;

namespace Kgent.Kernel.Libbpf.Symbolic;

/// <summary>The symbolic verifier stage for C: compiles the program (a program the kernel would refuse proves nothing),
/// checks it, reads it through clang's syntax tree into the bpftrace program that does the same line for line
/// (<see cref="CLowering"/>), and proves its <c>assume</c>/<c>assert</c> annotations there with Kgent's symbolic verifier,
/// under the same contracts. Results are given on the C program's lines.</summary>
public static class CSymbolicVerifier
{
    public static CSymbolicResult Verify(SourceText source, ProbeCatalog catalog, SymbolicOptions? options = null, CompileOptions? compile = null)
    {
        options ??= SymbolicOptions.Default;
        var (lowered, problems) = Lower(source, catalog, options.Allowed, compile);
        if (lowered is null)
        {
            return new CSymbolicResult(source, problems, null, null);
        }

        var parse = BpftraceParser.Parse(lowered.Lowered);
        var result = SymbolicVerifier.Verify(parse, catalog, options);
        return new CSymbolicResult(source, [], lowered, OnSource(result, lowered));
    }

    /// <summary>Compiles, checks and lowers a C program; the lowered program, or why there is none (clang's errors, the
    /// check's errors, a construct Kgent does not model, or a lowering Kgent itself cannot read back).</summary>
    public static (LoweredC? Lowered, ImmutableArray<Diagnostic> Problems) Lower(SourceText source, ProbeCatalog catalog, Safety.SafetyAllowance? allowed = null,
        CompileOptions? compile = null)
    {
        using var build = ClangCompiler.Compile(source, compile);
        if (!build.Succeeded)
        {
            return (null, build.Problem is { } problem
                ? [new Diagnostic(CDiagnostics.ToolMissing, new TextSpan(0, 0), problem)]
                : [.. build.Diagnostics.Where(d => d.IsError)]);
        }

        var check = CProgramChecker.Check(build, catalog, allowed);
        if (check.HasErrors)
        {
            return (null, [.. check.Errors]);
        }

        var lowered = CLowering.Lower(build, catalog);
        if (!lowered.IsComplete)
        {
            return (null, lowered.Problems);
        }

        var parse = BpftraceParser.Parse(lowered.Lowered);
        if (parse.Errors.FirstOrDefault() is { } error)
        {
            // Kgent's own mistake, not the program's: said as it is, and nothing is proved.
            return (null, [new Diagnostic(CDiagnostics.NotModelled, lowered.ToSource(error.Span),
                $"Kgent's reading of this line as bpftrace does not parse ({error.Message}); the program is not checked symbolically")]);
        }

        return (lowered, []);
    }

    /// <summary>A result about the lowered program, told on the C program: the same lines and columns, the C text.</summary>
    public static SymbolicResult OnSource(SymbolicResult result, LoweredC lowered) => result with
    {
        Parse = result.Parse with { Source = lowered.Source },
        Assertions = [.. result.Assertions.Select(a => lowered.ToSource(a.Span) is var span ? a with { Span = span, Text = Condition(lowered.Source, span) ?? a.Text } : a)],
    };

    /// <summary>The condition of the C <c>assert(...)</c> that starts at <paramref name="span"/>, as written; null when
    /// the span does not start one.</summary>
    private static string? Condition(SourceText source, TextSpan span)
    {
        const string Keyword = "assert(";
        var text = source.Text;
        if (span.Start + Keyword.Length > text.Length || string.CompareOrdinal(text, span.Start, Keyword, 0, Keyword.Length) != 0)
        {
            return null;
        }

        var depth = 1;
        for (var i = span.Start + Keyword.Length; i < text.Length && text[i] != '\n'; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return text[(span.Start + Keyword.Length)..i].Trim();
            }
        }

        return null;
    }

    /// <summary>The intent check of a lowered C program: the same obligations as for bpftrace (hooks, filters, keys,
    /// fields, computations, the contracts' byte-order assertions), decided on the lowering, on the C program's lines.
    /// Null with the reason when the lowering itself does not pass bpftrace's checks (Kgent's reading, not the program,
    /// is at fault then, and nothing is claimed).</summary>
    public static (Intent.IntentReport? Report, string? Problem) CheckIntent(Intent.IntentSpec spec, LoweredC lowered, ProbeCatalog catalog,
        Contracts.ContractSet? contracts, SymbolicOptions? options = null)
    {
        var parse = BpftraceParser.Parse(lowered.Lowered);
        var report = Intent.IntentChecker.Check(spec, parse, catalog, contracts, options ?? new SymbolicOptions(contracts));
        if (report.Verdict == Intent.IntentVerdict.Refused)
        {
            var first = report.Errors.FirstOrDefault();
            var line = first is null ? 0 : lowered.Lowered.GetLinePosition(first.Span.Start).Line;
            return (null, $"Kgent's reading of line {line} as bpftrace does not pass bpftrace's checks ({first?.Message}); the program is not checked against the request");
        }

        return (report, null);
    }
}
