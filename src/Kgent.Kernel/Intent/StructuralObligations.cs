using System.Globalization;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Intent;

/// <summary>The obligations decided on the program's tree: the hook, the computation, the key, the printed fields, the
/// aggregated value, a latency's two ends and unit, and the period. Each names the program line it is about. It also
/// picks the answer — the output statement that does what the request asks — for the semantic obligations.</summary>
internal sealed class StructuralObligations(IntentSpec spec, ProgramFacts facts, ProbeCatalog? catalog)
{
    private readonly List<ObligationResult> results = [];

    /// <summary>The output that answers the request (null when none does), for the filter obligations.</summary>
    public ProgramOutput? Answer { get; private set; }

    public IReadOnlyList<ObligationResult> Decide()
    {
        var mainEvents = spec.Events.Where(e => e.Role is EventRole.Main or EventRole.End).ToList();
        var candidates = facts.Outputs.Where(o => o.Kind != ComputationKind.Print || o.Call is not null).ToList();
        if (facts.Outputs.IsEmpty && (spec.Computation is not null || mainEvents.Count > 0))
        {
            var line = facts.Parse.Program.Probes.FirstOrDefault() is { } first ? facts.Line(first.Span.Start) : (int?)null;
            results.Add(new ObligationResult(new Obligation(ObligationKind.Computation, Computation(spec.Computation), spec.Computation?.Words ?? string.Empty),
                ObligationOutcome.Refuted, "the program prints and aggregates nothing", line));
            return results;
        }

        foreach (var e in mainEvents)
        {
            candidates = Hook(e, candidates);
        }

        if (spec.Events.FirstOrDefault(e => e.Role == EventRole.Start) is { } start)
        {
            StartEvent(start);
        }

        Answer = Computation(candidates);
        if (Answer is null)
        {
            return results;
        }

        foreach (var key in spec.Keys)
        {
            Key(key, Answer);
        }

        foreach (var field in spec.Fields)
        {
            Field(field, Answer);
        }

        if (spec.Value is { } value && spec.Computation?.Kind != ComputationKind.Latency)
        {
            Value(value, Answer);
        }

        if (spec.Computation is { Kind: ComputationKind.Latency } latency)
        {
            Latency(latency, Answer);
        }

        if (spec.Period is { } period)
        {
            Period(period);
        }

        return results;
    }

    // ---------------------------------------------------------------- hook

    private List<ProgramOutput> Hook(IntentEvent e, List<ProgramOutput> outputs)
    {
        var asks = $"{e.Name}";
        var obligation = new Obligation(ObligationKind.Hook, asks, e.Words);
        if (e.Hooks.IsEmpty)
        {
            results.Add(new ObligationResult(obligation, ObligationOutcome.Unknown, "no hook of this kernel observes it"));
            return outputs;
        }

        var acceptable = new HookSet(e.Hooks);
        var good = new List<ProgramOutput>();
        ProgramOutput? partly = null;
        foreach (var output in outputs)
        {
            var hooks = Expand(output.Probe).ToList();
            if (hooks.Count > 0 && hooks.All(acceptable.Contains))
            {
                good.Add(output);
            }
            else if (hooks.Any(acceptable.Contains))
            {
                partly ??= output;
            }
        }

        if (good.Count > 0)
        {
            var first = good[0];
            results.Add(new ObligationResult(obligation, ObligationOutcome.Proved,
                $"the output is in a probe on {string.Join(", ", first.Probe.AttachPoints.Select(a => a.Text))}, which observes it", facts.Line(first.Probe.Span.Start)));
            Coverage(e, good);
            return good;
        }

        var offender = partly ?? outputs.FirstOrDefault();
        var listed = string.Join(", ", e.Hooks.Take(3).Select(h => h.Condition is null ? h.AttachPoint : $"{h.AttachPoint} /{h.Condition}/"));
        var detail = partly is not null
            ? $"the probe on line {facts.Line(partly.Probe.Span.Start)} also attaches to {string.Join(", ", Expand(partly.Probe).Where(h => !acceptable.Contains(h)))}, which does not observe it"
            : offender is null
                ? "no output of the program is on a hook that observes it"
                : $"the output is in a probe on {string.Join(", ", offender.Probe.AttachPoints.Select(a => a.Text))}, which does not observe it; hooks that do: {listed}";
        results.Add(new ObligationResult(obligation, ObligationOutcome.Refuted, detail, offender is null ? null : facts.Line(offender.Probe.Span.Start)));
        return [];
    }

    /// <summary>At the system-call level an event is observed only when every required call is: a program on unlinkat alone
    /// misses the files deleted with unlink(). A program on a kernel function (vfs_unlink) sees them all.</summary>
    private void Coverage(IntentEvent e, List<ProgramOutput> good)
    {
        var observed = good.SelectMany(o => Expand(o.Probe)).ToHashSet(StringComparer.Ordinal);
        if (!observed.All(h => h.StartsWith("tracepoint:syscalls:", StringComparison.Ordinal)))
        {
            return;
        }

        var phase = observed.Any(h => h.Contains(":sys_exit_", StringComparison.Ordinal)) ? ":sys_exit_" : ":sys_enter_";
        var missing = e.Hooks.Where(h => h.Required && h.AttachPoint.Contains(phase, StringComparison.Ordinal) && !observed.Contains(h.AttachPoint)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var line = facts.Line(good[0].Probe.Span.Start);
        var names = string.Join(" and ", missing.Select(h => h.AttachPoint.Split(phase)[^1] + "()"));
        results.Add(new ObligationResult(new Obligation(ObligationKind.Hook, $"every {e.Name}", e.Words), ObligationOutcome.Refuted,
            $"the program observes {string.Join(", ", observed.Select(h => h.Split(phase)[^1] + "()").Order(StringComparer.Ordinal))} but not {names}, " +
            $"so the {Plural(e.Name)} made with {names} are missed; attach to {string.Join(" and ", missing.Select(h => h.AttachPoint))} as well", line));
    }

    /// <summary>A probe's attach points, wildcards expanded in the catalog.</summary>
    private IEnumerable<string> Expand(Probe probe)
    {
        foreach (var point in probe.AttachPoints)
        {
            if (point.Type is ProbeType.Begin or ProbeType.End)
            {
                continue;
            }

            if (point.HasWildcard && point.Type == ProbeType.Tracepoint && catalog is not null && point.Parts.Length == 2)
            {
                foreach (var match in catalog.MatchTracepoints(point.Parts[0], point.Parts[1]))
                {
                    yield return "tracepoint:" + match.Name;
                }
            }
            else
            {
                yield return point.CanonicalText;
            }
        }
    }

    private void StartEvent(IntentEvent start)
    {
        var acceptable = new HookSet(start.Hooks);
        var obligation = new Obligation(ObligationKind.Hook, $"the start: {start.Name}", start.Words);
        var store = facts.Stores.FirstOrDefault(s => Expand(s.Probe).Any(acceptable.Contains));
        results.Add(store is not null
            ? new ObligationResult(obligation, ObligationOutcome.Proved, $"{store.Map} takes the start time on {string.Join(", ", store.Probe.AttachPoints.Select(a => a.Text))}",
                facts.Line(store.Statement.Span.Start))
            : new ObligationResult(obligation, ObligationOutcome.Refuted,
                facts.Stores.IsEmpty ? "nothing stores a start time (@start[...] = nsecs)" : $"the start time is taken on {string.Join(", ", facts.Stores[0].Probe.AttachPoints.Select(a => a.Text))}, which does not observe it",
                facts.Stores.IsEmpty ? null : facts.Line(facts.Stores[0].Statement.Span.Start)));
    }

    // ---------------------------------------------------------------- computation

    private ProgramOutput? Computation(List<ProgramOutput> outputs)
    {
        if (spec.Computation is not { } computation)
        {
            return outputs.FirstOrDefault();
        }

        if (outputs.Count == 0)
        {
            // The hook obligation already says why; the computation is not checked on outputs of the wrong hook.
            return null;
        }

        if (computation is { Kind: ComputationKind.Latency, Shape: null })
        {
            // No shape asked: printed or aggregated, the answer is the output of a time difference (the latency obligation decides it).
            return outputs.FirstOrDefault(o => (o.Kind == ComputationKind.Print ? o.Printed.FirstOrDefault(HasTimestampDifference) : o.Value) is { } v && HasTimestampDifference(v))
                ?? outputs[0];
        }

        var wanted = computation.Kind == ComputationKind.Latency ? computation.Shape ?? ComputationKind.Print : computation.Kind;
        var obligation = new Obligation(ObligationKind.Computation, Computation(computation), computation.Words);

        var match = outputs.FirstOrDefault(o => Satisfies(o, wanted, computation));
        if (match is not null)
        {
            results.Add(new ObligationResult(obligation, ObligationOutcome.Proved, Describe(match), facts.Line(match.Statement.Span.Start)));
            return match;
        }

        var other = outputs[0];
        results.Add(new ObligationResult(obligation, ObligationOutcome.Refuted, Describe(other) + " instead", facts.Line(other.Statement.Span.Start)));
        return null;
    }

    private static bool Satisfies(ProgramOutput output, ComputationKind wanted, IntentComputation computation) => (wanted, output.Kind) switch
    {
        (ComputationKind.Print, ComputationKind.Print) => true,
        (ComputationKind.Count, ComputationKind.Count) => true,
        (ComputationKind.Sum, ComputationKind.Sum or ComputationKind.Stats) => true,
        (ComputationKind.Average, ComputationKind.Average or ComputationKind.Stats) => true,
        (ComputationKind.Minimum, ComputationKind.Minimum) => true,
        (ComputationKind.Maximum, ComputationKind.Maximum) => true,
        (ComputationKind.Stats, ComputationKind.Stats) => true,
        (ComputationKind.Histogram, ComputationKind.Histogram or ComputationKind.LinearHistogram) => true,
        (ComputationKind.LinearHistogram, ComputationKind.LinearHistogram) => LinearBounds(output, computation),
        _ => false,
    };

    /// <summary>lhist(value, min, max, step) covers the asked range: min is the asked low end, max reaches the high end.</summary>
    private static bool LinearBounds(ProgramOutput output, IntentComputation computation)
    {
        if (computation.Low is not { } low || output.Call is not { Arguments.Length: 4 } call)
        {
            return true;
        }

        return call.Arguments[1] is IntegerLiteral min && min.SignedValue == low
            && (computation.High is not { } high || call.Arguments[2] is IntegerLiteral max && max.SignedValue >= high);
    }

    private string Describe(ProgramOutput output) => output.Kind switch
    {
        ComputationKind.Print => $"line {facts.Line(output.Statement.Span.Start)} prints each event",
        ComputationKind.Count => $"{output.Map} counts events",
        ComputationKind.Histogram => $"{output.Map} is a histogram",
        ComputationKind.LinearHistogram => $"{output.Map} is a linear histogram",
        ComputationKind.Sum => $"{output.Map} sums",
        ComputationKind.Average => $"{output.Map} averages",
        ComputationKind.Minimum => $"{output.Map} keeps the minimum",
        ComputationKind.Maximum => $"{output.Map} keeps the maximum",
        _ => $"{output.Map} keeps stats",
    };

    private static string Computation(IntentComputation? computation) => computation?.Kind switch
    {
        null => "an output",
        ComputationKind.Print => "each event printed",
        ComputationKind.Count => "a count",
        ComputationKind.Sum => "a sum",
        ComputationKind.Histogram => "a histogram",
        ComputationKind.LinearHistogram => computation.Low is null ? "a linear histogram" : $"a linear histogram from {computation.Low} to {computation.High}",
        ComputationKind.Average => "an average",
        ComputationKind.Minimum => "a minimum",
        ComputationKind.Maximum => "a maximum",
        ComputationKind.Stats => "statistics",
        ComputationKind.Latency => computation.Shape is null ? "a latency" : $"a latency shown as {Computation(computation with { Kind = computation.Shape.Value })}",
        _ => "an output",
    };

    // ---------------------------------------------------------------- key, field, value

    private void Key(IntentKey key, ProgramOutput answer)
    {
        var obligation = new Obligation(ObligationKind.Key, $"a result per {IntentRoles.Describe(key.Role, key.Qualifier)}", key.Words);
        if (answer.Kind == ComputationKind.Print)
        {
            return;
        }

        var decision = Denotes(answer, key.Role, key.Qualifier, answer.Keys);
        var line = facts.Line(answer.Statement.Span.Start);
        if (decision is true && Extra(answer) is { } extra)
        {
            // "per process name" keyed by comm and the error: one result per (process, error), not per process.
            results.Add(new ObligationResult(obligation, ObligationOutcome.Refuted,
                $"{answer.Map} is keyed by {Keys(answer)}: the extra {ExpressionShape.Canonical(extra)} splits each result, so there is not one per {IntentRoles.Describe(key.Role, key.Qualifier)}", line));
            return;
        }

        results.Add(decision switch
        {
            true => new ObligationResult(obligation, ObligationOutcome.Proved, $"{answer.Map} is keyed by {Keys(answer)}", line),
            false => new ObligationResult(obligation, ObligationOutcome.Refuted,
                answer.Keys.IsEmpty ? $"{answer.Map} has no key" : $"{answer.Map} is keyed by {Keys(answer)}", line),
            null => new ObligationResult(obligation, ObligationOutcome.Unknown, $"Kgent does not know what the {IntentRoles.Describe(key.Role, key.Qualifier)} is on this hook", line),
        });
    }

    /// <summary>A key part that splits the asked result by something the request never mentions: <c>@errors[comm, -args->ret]</c>
    /// for "failed syscalls per process name" is one count per process and error. Only a part Kgent knows the role of
    /// (here the error number) whose words are nowhere in the request counts; a PID or thread ID next to a process name is
    /// the same process, not a finer breakdown.</summary>
    private Expression? Extra(ProgramOutput answer)
    {
        var identity = spec.Keys.Any(k => k.Role is IntentRoles.ProcessName or IntentRoles.Pid or IntentRoles.Tid or IntentRoles.Executable);
        foreach (var part in answer.Keys)
        {
            if (identity && ExpressionShape.Canonical(part) is "pid" or "tid" or "comm")
            {
                continue;
            }

            if (spec.Keys.Any(k => Denotes(answer, k.Role, k.Qualifier, [part]) is not false))
            {
                continue;
            }

            var roles = IntentRoles.All.Where(r => Denotes(answer, r, null, [part]) is true).ToList();
            if (roles.Count > 0 && roles.All(r => OfflineIntentReader.Mentions(r, spec.Request) is false))
            {
                return part;
            }
        }

        return null;
    }

    private void Field(IntentField field, ProgramOutput answer)
    {
        var obligation = new Obligation(ObligationKind.Field, $"the {IntentRoles.Describe(field.Role, field.Qualifier)} shown", field.Words);
        var line = facts.Line(answer.Statement.Span.Start);
        if (answer.Kind != ComputationKind.Print && spec.Computation is null)
        {
            // Not known whether the request asks for lines or a summary: the fields of an aggregation are not checked.
            return;
        }

        if (answer.Kind != ComputationKind.Print)
        {
            // An aggregation shows its key: the field is shown when the key is it.
            var keyed = Denotes(answer, field.Role, field.Qualifier, answer.Keys);
            results.Add(keyed is true
                ? new ObligationResult(obligation, ObligationOutcome.Proved, $"{answer.Map} is keyed by it", line)
                : new ObligationResult(obligation, keyed is null ? ObligationOutcome.Unknown : ObligationOutcome.Refuted, $"{answer.Map} is keyed by {Keys(answer)}", line));
            return;
        }

        var decision = Denotes(answer, field.Role, field.Qualifier, answer.Printed);
        var shown = answer.Printed.IsEmpty ? "no values" : string.Join(", ", answer.Printed.Select(ExpressionShape.Canonical));
        var raw = field.Role == IntentRoles.Port && answer.Printed.Any(p => ExpressionShape.Matches(p, ["*skc_dport", "*skc_sport"]));
        results.Add(decision switch
        {
            true => new ObligationResult(obligation, ObligationOutcome.Proved, $"the printf shows it", line),
            false when raw => new ObligationResult(obligation, ObligationOutcome.Refuted,
                "the printf shows a port field in network byte order; the port number is ntohs() of it", line),
            false => new ObligationResult(obligation, ObligationOutcome.Refuted, $"the printf shows {shown}", line),
            null => new ObligationResult(obligation, ObligationOutcome.Unknown, $"Kgent does not know what the {IntentRoles.Describe(field.Role, field.Qualifier)} is on this hook", line),
        });
    }

    private void Value(IntentValue value, ProgramOutput answer)
    {
        var obligation = new Obligation(ObligationKind.Value, $"the {IntentRoles.Describe(value.Role, value.Qualifier)} aggregated", value.Words);
        if (answer.Value is not { } aggregated)
        {
            return;
        }

        var line = facts.Line(answer.Statement.Span.Start);
        var decision = Denotes(answer, value.Role, value.Qualifier, [aggregated]);
        if (decision is false && ExpressionShape.Unwrap(aggregated) is BinaryExpression computed
            && Denotes(answer, value.Role, value.Qualifier, computed.DescendantNodesAndSelf().OfType<Expression>().Where(e => !ReferenceEquals(e, computed))) is true)
        {
            // "bytes kmalloc wastes": bytes_alloc - bytes_req is computed from the size; whether it is the quantity asked
            // for is beyond what Kgent reads in the request.
            results.Add(new ObligationResult(obligation, ObligationOutcome.Unknown,
                $"{answer.Map} aggregates {ExpressionShape.Canonical(aggregated)}, computed from it; Kgent cannot tell whether that is the quantity asked for", line));
            return;
        }

        results.Add(decision switch
        {
            true => new ObligationResult(obligation, ObligationOutcome.Proved, $"{answer.Map} aggregates {ExpressionShape.Canonical(aggregated)}", line),
            false => new ObligationResult(obligation, ObligationOutcome.Refuted, $"{answer.Map} aggregates {ExpressionShape.Canonical(aggregated)}", line),
            null => new ObligationResult(obligation, ObligationOutcome.Unknown, $"Kgent does not know what the {IntentRoles.Describe(value.Role, value.Qualifier)} is on this hook", line),
        });
    }

    /// <summary>Whether one of <paramref name="expressions"/> denotes the role on every hook of the output's probe: true,
    /// false, or null when Kgent does not know the role on one of them.</summary>
    private bool? Denotes(ProgramOutput output, string role, string? qualifier, IEnumerable<Expression> expressions)
    {
        var list = expressions.ToList();
        foreach (var hook in Expand(output.Probe).DefaultIfEmpty(string.Empty))
        {
            var patterns = FieldRoles.Patterns(role, qualifier, hook, Format(hook));
            if (patterns.Count == 0)
            {
                // A role that needs no field (the process name, the CPU) is known everywhere; one that needs a field is not.
                return null;
            }

            if (!list.Any(e => ExpressionShape.Matches(e, patterns)))
            {
                return false;
            }
        }

        return true;
    }

    private KernelInfo.Tracepoints.TracepointFormat? Format(string hook) =>
        hook.Split(':') is ["tracepoint", var category, var @event] ? catalog?.FindTracepoint(category, @event) : null;

    private static string Keys(ProgramOutput output) => output.Keys.IsEmpty ? "nothing" : string.Join(", ", output.Keys.Select(ExpressionShape.Canonical));

    // ---------------------------------------------------------------- latency

    private void Latency(IntentComputation latency, ProgramOutput answer)
    {
        var asks = $"the time between the start and the end" + (latency.Across is { } across ? $" of the same {across}" : string.Empty);
        var obligation = new Obligation(ObligationKind.Latency, asks, latency.Words);
        var value = answer.Kind == ComputationKind.Print ? answer.Printed.FirstOrDefault(HasTimestampDifference) : answer.Value;
        var line = facts.Line(answer.Statement.Span.Start);
        if (value is null || FindDifference(value) is not { } difference)
        {
            results.Add(new ObligationResult(obligation, ObligationOutcome.Refuted, "the output is not a difference of timestamps (nsecs - @start[...])", line));
            return;
        }

        var (mapName, endKeys) = difference;
        var store = facts.Stores.FirstOrDefault(s => s.Map == mapName);
        if (store is null)
        {
            results.Add(new ObligationResult(obligation, ObligationOutcome.Refuted, $"nothing stores the start time in {mapName} ({mapName}[...] = nsecs)", line));
            return;
        }

        if (latency.Across is { } entity)
        {
            var startOk = KeysDenote(entity, store.Probe, store.Keys, start: true);
            var endOk = KeysDenote(entity, answer.Probe, endKeys, start: false);
            if (startOk is false || endOk is false)
            {
                results.Add(new ObligationResult(obligation, ObligationOutcome.Refuted,
                    $"{mapName} is keyed by {Text(store.Keys)} at the start (line {facts.Line(store.Statement.Span.Start)}) and by {Text(endKeys)} at the end: " +
                    $"the two ends are not matched per {entity}, so the time is measured across different {Plural(entity)}", line));
                return;
            }

            results.Add(startOk is null || endOk is null
                ? new ObligationResult(obligation, ObligationOutcome.Unknown, $"Kgent does not know what identifies the {entity} on these hooks", line)
                : new ObligationResult(obligation, ObligationOutcome.Proved, $"{mapName} pairs the ends by {Text(endKeys)}", line));
        }

        if (spec.Unit is { Unit: not "bytes" } unit)
        {
            var unitObligation = new Obligation(ObligationKind.Latency, $"the time in {UnitName(unit.Unit)}", unit.Words);
            var inferred = TimeUnit(value);
            results.Add(inferred == unit.Unit
                ? new ObligationResult(unitObligation, ObligationOutcome.Proved, $"the value is nanoseconds divided by {Divisor(unit.Unit)}", line)
                : new ObligationResult(unitObligation, inferred is null ? ObligationOutcome.Unknown : ObligationOutcome.Refuted,
                    inferred is null ? "Kgent cannot tell the unit of the value" : $"the value is in {UnitName(inferred)} (nanoseconds divided by {Divisor(inferred)})", line));
        }
    }

    private static bool HasTimestampDifference(Expression expression) => FindDifference(expression) is not null;

    /// <summary>Finds <c>nsecs - @map[keys]</c> inside a value (under divisions and casts).</summary>
    internal static (string Map, IReadOnlyList<Expression> Keys)? FindDifference(Expression expression)
    {
        foreach (var node in expression.DescendantNodesAndSelf().OfType<BinaryExpression>())
        {
            if (node.Operator == BinaryOperator.Subtract && ExpressionShape.Unwrap(node.Left) is BuiltinExpression { Name: "nsecs" }
                && ExpressionShape.Unwrap(node.Right) is MapExpression map)
            {
                return (map.Name, [.. map.Keys.SelectMany(k => k is TupleExpression tuple ? tuple.Elements : [k])]);
            }
        }

        return null;
    }

    /// <summary>The unit of a latency value: nanoseconds, divided by the literal divisors on the way up to it.</summary>
    private static string? TimeUnit(Expression value)
    {
        long divisor = 1;
        var current = ExpressionShape.Unwrap(value);
        while (current is BinaryExpression { Operator: BinaryOperator.Divide, Right: IntegerLiteral literal } division)
        {
            divisor *= (long)literal.Value;
            current = ExpressionShape.Unwrap(division.Left);
        }

        if (current is BinaryExpression { Operator: BinaryOperator.Subtract } && FindDifference(current) is null)
        {
            return null;
        }

        return divisor switch
        {
            1 => "ns",
            1_000 => "us",
            1_000_000 => "ms",
            1_000_000_000 => "s",
            _ => null,
        };
    }

    internal static string Divisor(string unit) => unit switch
    {
        "us" => "1000",
        "ms" => "1000000",
        "s" => "1000000000",
        _ => "1",
    };

    internal static string UnitName(string unit) => unit switch
    {
        "us" => "microseconds",
        "ms" => "milliseconds",
        "s" => "seconds",
        _ => "nanoseconds",
    };

    private static string Plural(string entity) => entity switch
    {
        "process" => "processes",
        _ when entity.EndsWith("ss", StringComparison.Ordinal) => entity + "es",
        _ when entity.EndsWith('y') => entity[..^1] + "ies",
        _ => entity + "s",
    };

    private static string Text(IReadOnlyList<Expression> keys) => keys.Count == 0 ? "nothing" : string.Join(", ", keys.Select(ExpressionShape.Canonical));

    /// <summary>Whether the keys of one end identify the entity on that end's hooks: true, false, or null when unknown.</summary>
    private bool? KeysDenote(string entity, Probe probe, IReadOnlyList<Expression> keys, bool start)
    {
        var texts = keys.Select(ExpressionShape.Canonical).ToList();
        foreach (var hook in Expand(probe).DefaultIfEmpty(string.Empty))
        {
            string[] identifies = entity switch
            {
                "thread" => ["tid"],
                // A run slice is measured per CPU, or per task from its switch in (next_pid) to its switch out (prev_pid).
                "cpu" => hook.EndsWith(":sched_switch", StringComparison.Ordinal) ? ["cpu", start ? "args->next_pid" : "args->prev_pid"] : ["cpu"],
                "request" => ["args->sector"],
                // Off the CPU a task goes at its switch out (prev_pid) and comes back at its switch in (next_pid).
                "task" => hook.EndsWith(":sched_switch", StringComparison.Ordinal) ? [start ? "args->prev_pid" : "args->next_pid"] : ["args->pid"],
                "process" => hook.EndsWith(":sched_process_fork", StringComparison.Ordinal) ? ["args->child_pid"]
                    : hook.Contains("exit", StringComparison.Ordinal) || hook.EndsWith(":sched_process_free", StringComparison.Ordinal) ? ["pid", "args->pid"]
                    : hook.Contains(":sys_exit_clone", StringComparison.Ordinal) || hook.Contains(":sys_exit_fork", StringComparison.Ordinal) || hook.Contains(":sys_exit_vfork", StringComparison.Ordinal)
                        ? ["args->ret"] : [],
                _ => [],
            };
            if (identifies.Length == 0)
            {
                return null;
            }

            if (!texts.Any(identifies.Contains) || (entity == "thread" && texts.Count == 1 && texts[0] != "tid"))
            {
                return false;
            }
        }

        return true;
    }

    // ---------------------------------------------------------------- period

    private void Period(IntentPeriod period)
    {
        var obligation = new Obligation(ObligationKind.Period, $"output every {period.Seconds} s", period.Words);
        var interval = facts.Parse.Program.Probes.FirstOrDefault(p => p.AttachPoints.Any(a => a.Type == ProbeType.Interval && Seconds(a) == period.Seconds));
        if (interval is not null)
        {
            results.Add(new ObligationResult(obligation, ObligationOutcome.Proved, $"the probe on line {facts.Line(interval.Span.Start)} fires every {period.Seconds} s", facts.Line(interval.Span.Start)));
            return;
        }

        var other = facts.Parse.Program.Probes.FirstOrDefault(p => p.AttachPoints.Any(a => a.Type == ProbeType.Interval));
        results.Add(other is not null
            ? new ObligationResult(obligation, ObligationOutcome.Refuted,
                $"the interval probe fires every {Seconds(other.AttachPoints.First(a => a.Type == ProbeType.Interval))?.ToString(CultureInfo.InvariantCulture) ?? "?"} s", facts.Line(other.Span.Start))
            : new ObligationResult(obligation, ObligationOutcome.Refuted, "no interval probe prints the result periodically"));
    }

    private static double? Seconds(AttachPoint point)
    {
        if (point.Parts.Length != 2 || !long.TryParse(point.Parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return point.Parts[0] switch
        {
            "s" => n,
            "ms" => n / 1000.0,
            "us" => n / 1_000_000.0,
            _ => null,
        };
    }
}
