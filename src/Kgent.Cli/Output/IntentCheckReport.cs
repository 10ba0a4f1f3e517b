using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Intent;

namespace Kgent.Cli.Output;

/// <summary>The JSON shape of <c>kgent symbex --request TEXT --json</c>: the verdict, the specification, every obligation
/// with its outcome and line, the warnings, and the annotated program the verifier ran.</summary>
public sealed record IntentCheckReport(
    string File,
    string Catalog,
    string Verdict,
    System.Text.Json.Nodes.JsonNode? Spec,
    IReadOnlyList<IntentCheckReport.Item> Obligations,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<LocatedDiagnostic> Diagnostics,
    string Annotated)
{
    public static IntentCheckReport From(IntentReport report, SourceText program, string catalog) => new(
        program.Path,
        catalog,
        report.Verdict.Json(),
        System.Text.Json.Nodes.JsonNode.Parse(IntentJson.Write(report.Spec)),
        [.. report.Results.Select(r => new Item(
            IntentNames.Of(r.Obligation.Kind),
            r.Obligation.Asks,
            r.Obligation.Words,
            r.Obligation.Condition,
            r.Outcome.ToString().ToLowerInvariant(),
            r.Detail,
            r.Line,
            r.Message,
            [.. r.Inputs.Select(i => i.ToString())]))],
        [.. report.Warnings],
        LocatedDiagnostic.Capped(report.Errors, program).Shown,
        report.Annotated);

    public sealed record Item(string Kind, string Asks, string Words, string? Condition, string Outcome, string Detail, int? Line, string Message,
        IReadOnlyList<string> Witness);
}
