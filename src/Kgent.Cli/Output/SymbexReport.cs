using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Output;

/// <summary>The JSON shape of <c>kgent symbex --json</c>.</summary>
public sealed record SymbexReport(
    string File,
    string Catalog,
    string Verdict,
    IReadOnlyList<SymbexReport.Assertion> Assertions,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Contracts,
    IReadOnlyList<SymbexReport.Query> Queries)
{
    /// <summary>Why nothing was verified (a syntax error, a missing catalog, the safety policy), or null.</summary>
    public string? Error { get; init; }

    /// <summary>The diagnostics behind <see cref="Error"/> (syntax errors, safety-policy refusals).</summary>
    public IReadOnlyList<Kgent.Kernel.Bpftrace.Diagnostics.LocatedDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>The report of a verification that could not run: the verdict is "error".</summary>
    public static SymbexReport Failed(string file, string error, IReadOnlyList<Kgent.Kernel.Bpftrace.Diagnostics.LocatedDiagnostic>? diagnostics = null) =>
        new(file, string.Empty, "error", [], [], [], []) { Error = error, Diagnostics = diagnostics ?? [] };

    public static SymbexReport From(SymbolicResult result, string catalog) => new(
        result.Parse.Source.Path,
        catalog,
        Name(result.Overall),
        [.. result.Assertions.Select(a => new Assertion(a.Position.Line, a.Position.Column, a.Probe, a.Text, Name(a.Verdict.Kind), Detail(a.Verdict)))],
        result.Notes,
        result.ContractsUsed,
        [.. result.Queries.Select(q => new Query(q.Index, q.Purpose, q.Answer.ToString().ToLowerInvariant(), Math.Round(q.Elapsed.TotalMilliseconds, 3), q.Smt2Path))])
    {
        Error = result.Refusal is { } refusal ? $"refused by the safety policy: {refusal.Reason}" : null,
        Diagnostics = result.Refusal is { } refused
            ? Kgent.Kernel.Bpftrace.Diagnostics.LocatedDiagnostic.Capped(Kgent.Kernel.Semantics.SemanticDiagnostics.FromSafety(refused), result.Parse.Source).Shown
            : [],
    };

    private static string Name(VerdictKind kind) => kind.Json();

    private static object Detail(SymbolicVerdict verdict) => verdict switch
    {
        SymbolicVerdict.Verified v => new { paths = v.PathsChecked },
        SymbolicVerdict.Counterexample c => new
        {
            explanation = c.Explanation,
            path = c.Path,
            values = c.Terms.Select(Value),
            variables = c.Variables.Select(Value),
            inputs = c.Inputs.Select(Value),
            contract = c.Notes,
        },
        SymbolicVerdict.Unknown u => new { reason = u.Reason },
        SymbolicVerdict.Unsupported u => new { construct = u.Construct, start = u.Span.Start, length = u.Span.Length },
        _ => new { },
    };

    private static object Value(ModelValue value) => new { name = value.Name, display = value.Display, value = value.Bits is null ? value.Text : value.Decimal, bits = value.Width };

    public sealed record Assertion(int Line, int Column, string Probe, string Condition, string Verdict, object Detail);

    public sealed record Query(int Index, string Purpose, string Answer, double Milliseconds, string? Smt2);
}
