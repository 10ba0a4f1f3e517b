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
    public static SymbexReport From(SymbolicResult result, string catalog) => new(
        result.Parse.Source.Path,
        catalog,
        Name(result.Overall),
        [.. result.Assertions.Select(a => new Assertion(a.Position.Line, a.Position.Column, a.Probe, a.Text, Name(a.Verdict.Kind), Detail(a.Verdict)))],
        result.Notes,
        result.ContractsUsed,
        [.. result.Queries.Select(q => new Query(q.Index, q.Purpose, q.Answer.ToString().ToLowerInvariant(), Math.Round(q.Elapsed.TotalMilliseconds, 3), q.Smt2Path))]);

    private static string Name(VerdictKind kind) => kind.ToString().ToLowerInvariant();

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
