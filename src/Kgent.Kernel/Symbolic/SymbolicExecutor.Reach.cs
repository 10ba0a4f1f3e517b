using System.Collections.Immutable;
using Kgent.Kernel.Symbolic.Terms;

namespace Kgent.Kernel.Symbolic;

// Reach queries: is a statement reached exactly when a condition holds at the probe's entry? The condition is evaluated
// once, after the hook's contract is assumed and before the predicate, and the inputs it reads are the same symbols the
// program reads afterwards, so "the predicate is args->ret < 0" and "the request asks for args->ret < 0" meet in one term.
internal sealed partial class SymbolicExecutor
{
    /// <summary>One query in the current run: its condition at entry, the state it was evaluated in, and the states that
    /// reached the target.</summary>
    private sealed class ActiveReach(ReachQuery query, Term? condition, Term? domain, PathState entry, string? problem)
    {
        public Term? Domain { get; } = domain;

        public ReachQuery Query { get; } = query;

        public Term? Condition { get; } = condition;

        public PathState Entry { get; } = entry;

        public string? Problem { get; } = problem;

        public List<PathState> Reached { get; } = [];
    }

    private PathState StartReaches(PathState state)
    {
        reachTargets = [];
        foreach (var query in options.ReachQueries.Where(q => q.Targets.Any(t => t >= run.Probe.Span.Start && t < run.Probe.Span.End)))
        {
            Term? condition = null;
            Term? domain = null;
            string? problem = null;
            state = Guarded(state, query.Condition, frame =>
            {
                condition = Truthy(Eval(query.Condition, frame), query.Condition);
                return frame.State;
            }, unsupported => problem = unsupported);
            if (query.Domain is { } restriction)
            {
                state = Guarded(state, restriction, frame =>
                {
                    domain = Truthy(Eval(restriction, frame), restriction);
                    return frame.State;
                }, unsupported => problem ??= unsupported);
            }

            var active = new ActiveReach(query, condition, domain, state, problem);
            foreach (var target in query.Targets)
            {
                if (!reachTargets.TryGetValue(target, out var list))
                {
                    reachTargets[target] = list = [];
                }

                list.Add(active);
            }
        }

        return state;
    }

    private void FinishReaches()
    {
        foreach (var reach in reachTargets.Values.SelectMany(l => l).Distinct())
        {
            reachResults.Add(new ReachResult(reach.Query.Id, run.Hook, Decide(reach)));
        }

        reachTargets = [];
    }

    private ReachVerdict Decide(ActiveReach reach)
    {
        if (reach.Condition is not { } condition)
        {
            return new ReachVerdict.Unknown(reach.Problem ?? "the condition could not be evaluated");
        }

        if (OutOfBudget() is { } budget)
        {
            return new ReachVerdict.Unknown(budget);
        }

        if (incomplete is not null)
        {
            return new ReachVerdict.Unknown($"not every path was explored: {incomplete}");
        }

        // Inputs outside the domain are not compared: the kernel never produces them.
        List<Term> entry = [.. reach.Entry.Conditions, .. Domain(reach)];
        if (solver.Check([.. entry, ctx.MkNot(condition)], $"vacuity: is {Print(reach)} always true on {run.Hook}").Answer == QueryAnswer.Unsat)
        {
            return new ReachVerdict.Vacuous($"{Print(reach)} always holds on {run.Hook}");
        }

        if (solver.Check([.. entry, condition], $"vacuity: can {Print(reach)} hold on {run.Hook}").Answer == QueryAnswer.Unsat)
        {
            return new ReachVerdict.Vacuous($"{Print(reach)} never holds on {run.Hook}");
        }

        var unknown = false;
        foreach (var reached in reach.Reached)
        {
            var outcome = solver.Check([.. reached.Conditions, .. Domain(reach), ctx.MkNot(condition)], $"reach: is {Lines(reach)} reached only when {Print(reach)} on {run.Hook}");
            if (outcome.Answer == QueryAnswer.Sat)
            {
                return new ReachVerdict.AlsoOthers(new CounterexampleBuilder(outcome.Model!, run).Inputs(reached.Inputs), [.. reached.Path]);
            }

            unknown |= outcome.Answer == QueryAnswer.Unknown;
        }

        Term reachedAny = reach.Reached.Count == 0
            ? ctx.MkFalse()
            : ctx.MkOr([.. reach.Reached.Select(r => r.Conditions.Count == 0 ? ctx.MkTrue() : ctx.MkAnd([.. r.Conditions]))]);
        var missed = solver.Check([.. entry, condition, ctx.MkNot(reachedAny)], $"reach: is {Lines(reach)} reached whenever {Print(reach)} on {run.Hook}");
        if (missed.Answer == QueryAnswer.Sat)
        {
            var inputs = reach.Reached.SelectMany(r => r.Inputs).Concat(reach.Entry.Inputs);
            return new ReachVerdict.Misses(new CounterexampleBuilder(missed.Model!, run).Inputs(inputs));
        }

        return unknown || missed.Answer == QueryAnswer.Unknown
            ? new ReachVerdict.Unknown($"the solver could not decide whether {Lines(reach)} is reached exactly when {Print(reach)}")
            : new ReachVerdict.Equivalent(reach.Reached.Count);
    }

    private static string Print(ActiveReach reach) => Bpftrace.Printing.BpftracePrinter.Print(reach.Query.Condition);

    private static IEnumerable<Term> Domain(ActiveReach reach) => reach.Domain is { } domain ? [domain] : [];

    private string Lines(ActiveReach reach) =>
        (reach.Query.Targets.Length == 1 ? "line " : "lines ") + string.Join(", ", reach.Query.Targets.Select(t => Source.GetLinePosition(t).Line));
}
