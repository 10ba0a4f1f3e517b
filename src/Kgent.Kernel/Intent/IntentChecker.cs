using System.Collections.Immutable;
using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;

namespace Kgent.Kernel.Intent;

/// <summary>The intent checker: a function from a specification and a program to an <see cref="IntentReport"/>. It refuses
/// a program with parse or semantic errors (and shows them); otherwise it annotates the program from the contracts
/// (their <c>assert</c> lines are value properties such as byte order), decides the structural obligations on the tree,
/// and asks the symbolic verifier, in one run, for the assertions and for every filter ("is the output reached exactly
/// when the request's condition holds?"). Line numbers are the program's own (annotation lines are not counted).</summary>
public static class IntentChecker
{
    /// <summary>True when checking a program against <paramref name="spec"/> will likely ask the solver: the request filters
    /// its events or its hooks need a condition (reach queries), it names a unit (unit assertions), or it shows a port or an
    /// address (byte-order assertions from the contracts). A hint for getting Z3 ready early; the check decides for itself.</summary>
    public static bool MayAskSolver(IntentSpec spec) =>
        !spec.Filters.IsEmpty
        || spec.Events.Any(e => e.Hooks.Any(h => h.Condition is not null))
        || spec.Unit is not null
        || spec.Fields.Select(f => f.Role).Concat(spec.Keys.Select(k => k.Role)).Append(spec.Value?.Role ?? string.Empty)
            .Any(role => role is IntentRoles.Port or IntentRoles.Address);

    /// <param name="annotated">The program annotated by a comprehension engine (a model's reply that strips back to
    /// the program); null to annotate it here from the contracts.</param>
    public static IntentReport Check(IntentSpec spec, ParseResult program, ProbeCatalog catalog, ContractSet? contracts, SymbolicOptions? options = null,
        string? annotated = null)
    {
        if (program.HasErrors)
        {
            return Refused(spec, program, [.. program.Errors]);
        }

        var errors = SemanticChecker.Check(program, catalog, new CheckOptions(options?.Allowed) { TargetVersion = options?.TargetVersion }).BlockingErrors.ToImmutableArray();
        if (!errors.IsEmpty)
        {
            return Refused(spec, program, errors);
        }

        // A probe ported to a raw tracepoint (0.23's __data_loc bug) is checked as the tracepoint it reads: same event,
        // same fields, same lines.
        program = Bpftrace.Porting.TracepointView.Of(program);

        // The program's own annotations are kept; an unannotated one gets the contracts' (byte order, preconditions).
        var userAnnotated = Bpftrace.Printing.AnnotationStripper.CountAnnotations(program.Program) > 0;
        var annotatedText = userAnnotated ? program.Source.Text : annotated ?? OfflineAnnotator.Annotate(program.Source.Text, contracts, catalog);
        var annotatedParse = BpftraceParser.Parse(annotatedText, program.Source.Path);
        if (annotatedParse.HasErrors)
        {
            annotatedText = program.Source.Text;
            annotatedParse = program;
        }

        var lines = userAnnotated ? LineMap.Identity : LineMap.Inserted(annotatedText);
        var facts = ProgramFacts.Of(annotatedParse, lines);
        var structural = new StructuralObligations(spec, facts, catalog);
        var results = structural.Decide().ToList();

        // The latency's unit as a value property Z3 proves: an assert on the answer's line (so no line moves).
        var derived = new Dictionary<string, string>(StringComparer.Ordinal);
        if (structural.Answer is { } first && UnitAssertion.Insert(spec, first, annotatedText) is { } unit
            && BpftraceParser.Parse(unit.Text, program.Source.Path) is { HasErrors: false } withUnit
            && withUnit.Program.DescendantNodesAndSelf().OfType<AnnotationStatement>().FirstOrDefault(a => a.Span.Start == unit.Offset) is { } inserted)
        {
            annotatedText = unit.Text;
            annotatedParse = withUnit;
            derived[BpftracePrinter.Print(inserted.Condition)] = unit.Words;
            facts = ProgramFacts.Of(annotatedParse, lines);
            structural = new StructuralObligations(spec, facts, catalog);
            results = structural.Decide().ToList();
        }

        if (structural.Answer is { } answer)
        {
            results.AddRange(UnaskedFilters.Decide(spec, answer, facts));
        }

        var filters = Filters(spec, structural.Answer, facts, catalog);
        var symbolicOptions = (options ?? new SymbolicOptions(contracts)) with { Contracts = contracts ?? options?.Contracts, Reach = [.. filters.Select(f => f.Query)] };
        SymbolicResult? symbolic = null;
        if (filters.Count > 0 || annotatedParse.Program.DescendantNodesAndSelf().OfType<AnnotationStatement>().Any(a => a.Kind == AnnotationKind.Assert))
        {
            try
            {
                symbolic = SymbolicVerifier.Verify(annotatedParse, catalog, symbolicOptions);
            }
            catch (SolverUnavailableException e)
            {
                results.Add(new ObligationResult(new Obligation(ObligationKind.Filter, "the semantic obligations", string.Empty), ObligationOutcome.Unknown, e.Message));
            }
        }

        if (symbolic is not null)
        {
            results.AddRange(filters.Select(f => Decide(f, symbolic.Reaches.Where(r => r.Id == f.Query.Id).ToList())));
            results.AddRange(symbolic.Assertions.Select(a => Assertion(a, lines, derived)));
        }

        return new IntentReport(spec, [.. results], annotatedText, symbolic, []) { Program = program.Source.Text };
    }

    private static IntentReport Refused(IntentSpec spec, ParseResult program, ImmutableArray<Diagnostic> errors) =>
        new(spec, [], program.Source.Text, null, errors) { Program = program.Source.Text };

    /// <summary>One filter obligation: what it asks, and the reach query that decides it for the answer's statement.</summary>
    private sealed record FilterObligation(Obligation Obligation, ReachQuery Query, int Line);

    private static List<FilterObligation> Filters(IntentSpec spec, ProgramOutput? answer, ProgramFacts facts, ProbeCatalog catalog)
    {
        var list = new List<FilterObligation>();
        if (answer is null)
        {
            return list;
        }

        var hook = answer.Probe.AttachPoints[0].CanonicalText;
        var format = hook.Split(':') is ["tracepoint", var category, var @event] ? catalog.FindTracepoint(category, @event) : null;
        var value = answer.Value is { } v ? ExpressionShape.Canonical(v) : null;
        var line = facts.Line(answer.Statement.Span.Start);

        // One output may be written more than once in its probe (a printf per address family): reaching any of them counts.
        var targets = facts.Outputs.Where(o => ReferenceEquals(o.Probe, answer.Probe) && o.Kind == answer.Kind && o.Map == answer.Map)
            .Select(o => o.Statement.Span.Start).Distinct().ToImmutableArray();
        var asked = new List<(string Asks, string Words, string Condition, string? Domain)>();
        foreach (var filter in spec.Filters)
        {
            // "print allocations larger than 4096 bytes, with the size": without an aggregated value, the bound is on the size shown.
            var bounded = value ?? (filter.Kind == FilterKind.LargerThan ? PrintedSize(answer, hook, format) : null);
            if (FilterConditions.For(filter, hook, format, bounded) is { } condition)
            {
                asked.Add((Describe(filter), filter.Words, condition, FilterConditions.Domain(filter, hook, format)));
            }
        }

        // A hook that also fires for other things: the event is only the part its condition selects.
        foreach (var e in spec.Events.Where(e => e.Role is EventRole.Main or EventRole.End))
        {
            if (e.Hooks.FirstOrDefault(h => h.AttachPoint == hook && h.Condition is not null) is { Condition: { } selects })
            {
                asked.Add(($"{e.Name} only", e.Words, selects, null));
            }
        }

        // Each condition is decided where the others hold: "connects to port 8080" is reached exactly for the port's
        // events among the connects (and exactly for the connects among the port's events), not for every event with
        // that port, whatever its state.
        for (var i = 0; i < asked.Count; i++)
        {
            var (asks, words, condition, domain) = asked[i];
            var others = asked.Where((_, j) => j != i).Select(a => $"({a.Condition})");
            var within = string.Join(" && ", (domain is null ? others : others.Prepend($"({domain})")));
            if (Parse(condition) is not { } expression)
            {
                continue;
            }

            list.Add(new FilterObligation(new Obligation(ObligationKind.Filter, asks, words, condition),
                new ReachQuery($"filter-{list.Count + 1}", targets, expression, within.Length == 0 ? null : Parse(within)), line));
        }

        return list;
    }

    private static string? PrintedSize(ProgramOutput answer, string hook, KernelInfo.Tracepoints.TracepointFormat? format)
    {
        var sizes = FieldRoles.Patterns(IntentRoles.Size, null, hook, format);
        return answer.Printed.FirstOrDefault(p => ExpressionShape.Matches(p, sizes)) is { } printed ? ExpressionShape.Canonical(printed) : null;
    }

    private static Expression? Parse(string condition) =>
        BpftraceParser.Parse($"BEGIN {{ $kgent_filter = {condition}; }}", "filter.bt").Program.Probes.First().Body.Statements[0]
            is AssignmentStatement { Value: var e and not MissingExpression } ? e : null;

    private static string Describe(IntentFilter filter) => filter.Kind switch
    {
        FilterKind.Failure => "failed calls only",
        FilterKind.Success => "successful calls only",
        FilterKind.ProcessName => $"processes named {filter.Value} only",
        FilterKind.Pid => $"process {filter.Value} only",
        FilterKind.ForWriting => "files opened for writing only",
        FilterKind.Port => $"port {filter.Value} only",
        FilterKind.Family => $"{(filter.Value == "ipv6" ? "IPv6" : "IPv4")} only",
        _ => $"values larger than {filter.Value} only",
    };

    private static ObligationResult Decide(FilterObligation filter, List<ReachResult> reaches)
    {
        var obligation = filter.Obligation with { Asks = $"{filter.Obligation.Asks} ({filter.Obligation.Condition})" };
        var line = filter.Line;
        if (reaches.Count == 0)
        {
            return new ObligationResult(obligation, ObligationOutcome.Unknown, "the symbolic verifier did not reach the output", line);
        }

        foreach (var reach in reaches)
        {
            switch (reach.Verdict)
            {
                case ReachVerdict.AlsoOthers others:
                    return new ObligationResult(obligation, ObligationOutcome.Refuted,
                        $"the output also happens when {filter.Obligation.Condition} is false, on {reach.Hook}", line, others.Inputs);
                case ReachVerdict.Misses misses:
                    return new ObligationResult(obligation, ObligationOutcome.Refuted,
                        $"the output does not happen for every event where {filter.Obligation.Condition}, on {reach.Hook}", line, misses.Inputs);
            }
        }

        if (reaches.Select(r => r.Verdict).OfType<ReachVerdict.Vacuous>().FirstOrDefault() is { } vacuous)
        {
            return new ObligationResult(obligation, ObligationOutcome.Dropped, vacuous.Why, line);
        }

        if (reaches.Select(r => r.Verdict).OfType<ReachVerdict.Unknown>().FirstOrDefault() is { } unknown)
        {
            return new ObligationResult(obligation, ObligationOutcome.Unknown, unknown.Reason, line);
        }

        return new ObligationResult(obligation, ObligationOutcome.Proved, $"the output happens exactly when {filter.Obligation.Condition} (proved with Z3)", line);
    }

    /// <param name="derived">The assertions Kgent derived from the request (condition → request words): they are the
    /// request's own obligations, so they are never dropped as vacuous (a program whose value is exactly the asked one
    /// proves them trivially, which is the point).</param>
    private static ObligationResult Assertion(AssertionResult assertion, LineMap lines, IReadOnlyDictionary<string, string> derived)
    {
        var words = derived.GetValueOrDefault(assertion.Text);
        var obligation = new Obligation(ObligationKind.Assertion, words is null ? $"assert({assertion.Text})" : $"the value in the asked unit: assert({assertion.Text})",
            words ?? string.Empty, assertion.Text);
        var line = lines.Original(assertion.Position.Line);
        if (words is null && Vacuity.IsVacuous(assertion.Text))
        {
            return new ObligationResult(obligation, ObligationOutcome.Dropped, "it is true whatever the program does", line);
        }

        return assertion.Verdict switch
        {
            SymbolicVerdict.Verified => new ObligationResult(obligation, ObligationOutcome.Proved, "proved with Z3", line),
            SymbolicVerdict.Counterexample c => new ObligationResult(obligation, ObligationOutcome.Refuted, c.Explanation, line, c.Inputs),
            SymbolicVerdict.Unknown u => new ObligationResult(obligation, ObligationOutcome.Unknown, u.Reason, line),
            SymbolicVerdict.Unsupported u => new ObligationResult(obligation, ObligationOutcome.Unknown, u.Construct, line),
            _ => new ObligationResult(obligation, ObligationOutcome.Unknown, "not decided", line),
        };
    }
}
