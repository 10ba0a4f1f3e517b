using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Symbolic.Values;
using Kgent.Kernel.Symbolic.Terms;
using Probe = Kgent.Kernel.Bpftrace.Syntax.Items.Probe;

namespace Kgent.Kernel.Symbolic;

/// <summary>Symbolic execution of a bpftrace program, one probe and hook at a time. Paths fork at <c>if</c>/<c>else</c>
/// and loop conditions; predicates, <c>assume</c> and the hook's contract add to the path condition; each <c>assert</c>
/// asks the solver whether its negation is satisfiable on the path. The expression semantics (statements here,
/// expressions, calls and memory in the other parts of this class) follow bpftrace 0.17 as measured on this host.</summary>
internal sealed partial class SymbolicExecutor
{
    private const int MaxTracepointExpansion = 16;
    private static readonly Regex Define = new(@"^#\s*define\s+([A-Za-z_]\w*)\s+(-?(?:0[xX][0-9a-fA-F]+|\d+))[uUlL]*\s*$", RegexOptions.CultureInvariant);

    /// <summary>Builds the executor's terms; the solver sees them only through <see cref="solver"/>.</summary>
    private readonly TermBuilder ctx = new();
    private readonly SolverGateway solver;
    private readonly SymbolicOptions options;
    private readonly ParseResult parse;
    private readonly ProbeCatalog? catalog;
    private readonly ContractSet contracts;
    private readonly Dictionary<string, long> constants = new(StringComparer.Ordinal);
    private readonly SortedSet<string> notes = new(StringComparer.Ordinal);
    private readonly SortedSet<string> contractsUsed = new(StringComparer.Ordinal);
    private readonly Dictionary<int, AssertionAccumulator> assertions = [];
    private readonly Dictionary<string, Term> symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FunctionSymbol> functions = new(StringComparer.Ordinal);
    private readonly Dictionary<MemoryRegion, Term> memories = [];
    private readonly Dictionary<string, bool> stringMaps = new(StringComparer.Ordinal);
    private readonly HashSet<string> incompleteHooks = new(StringComparer.Ordinal);
    private ProbeRun run = null!;
    private string? incomplete;
    private Dictionary<int, List<SymbolicVerdict>> runVerdicts = [];
    private int freshCounter;
    private readonly System.Diagnostics.Stopwatch clock = new();
    private int pathsExplored;
    private string? exhausted;
    private readonly List<ReachResult> reachResults = [];
    private Dictionary<int, List<ActiveReach>> reachTargets = [];

    public SymbolicExecutor(SolverGateway solver, SymbolicOptions options, ParseResult parse, ProbeCatalog? catalog)
    {
        this.solver = solver;
        this.options = options;
        this.parse = parse;
        this.catalog = catalog;
        contracts = options.Contracts ?? ContractSet.Empty;
        foreach (var (name, value) in contracts.Constants)
        {
            constants[name] = value;
        }

        foreach (var directive in parse.Program.Items.OfType<PreprocessorDirective>())
        {
            var match = Define.Match(directive.Text.Trim());
            if (match.Success && ContractLoader.TryParseInteger(match.Groups[2].Value, out var value))
            {
                constants[match.Groups[1].Value] = value;
            }
        }
    }

    private BtfTypeGraph? Btf => catalog?.Btf;

    /// <summary>Statements executed so far, over all paths: how much the solver context holds.</summary>
    public int Work { get; private set; }

    private SourceText Source => parse.Source;

    public SymbolicResult Execute()
    {
        clock.Start();
        foreach (var probe in parse.Program.Probes)
        {
            if (!probe.DescendantNodesAndSelf().OfType<AnnotationStatement>().Any(a => a.Kind == AnnotationKind.Assert)
                && !options.ReachQueries.Any(q => q.Targets.Any(t => t >= probe.Span.Start && t < probe.Span.End)))
            {
                continue;
            }

            foreach (var probeRun in Runs(probe))
            {
                if (OutOfBudget() is { } reason)
                {
                    // This hook was never explored: none of its assertions may count as proved.
                    foreach (var assertion in probe.DescendantNodesAndSelf().OfType<AnnotationStatement>().Where(a => a.Kind == AnnotationKind.Assert))
                    {
                        Accumulator(assertion.Span.Start).Add(new SymbolicVerdict.Unknown($"{reason} before {probeRun.Hook} was explored"));
                    }

                    continue;
                }

                Execute(probeRun);
            }
        }

        var results = parse.Program.DescendantNodesAndSelf().OfType<AnnotationStatement>()
            .Where(a => a.Kind == AnnotationKind.Assert)
            .Select(Result)
            .ToImmutableArray();
        return new SymbolicResult(parse, results, [.. notes], solver.Queries, [.. contractsUsed]) { Reaches = [.. reachResults] };
    }

    private AssertionResult Result(AnnotationStatement assertion)
    {
        var probe = parse.Program.Probes.First(p => p.Span.Contains(assertion.Span));
        var text = BpftracePrinter.Print(assertion.Condition);
        var verdict = assertions.TryGetValue(assertion.Span.Start, out var accumulator)
            ? accumulator.Verdict
            : exhausted is not null
                ? new SymbolicVerdict.Unknown($"{exhausted} before this assertion was reached")
                : new SymbolicVerdict.Verified(0);
        return new AssertionResult(string.Join(", ", probe.AttachPoints.Select(a => a.Text)), text, assertion.Span,
            Source.GetLinePosition(assertion.Span.Start), verdict);
    }

    // ---------------------------------------------------------------- hooks

    private IEnumerable<ProbeRun> Runs(Probe probe)
    {
        foreach (var attachPoint in probe.AttachPoints)
        {
            switch (attachPoint.Type)
            {
                case ProbeType.Tracepoint when attachPoint.Parts.Length == 2 && catalog is not null:
                {
                    var formats = catalog.MatchTracepoints(Unquote(attachPoint.Parts[0]), Unquote(attachPoint.Parts[1])).ToList();
                    if (formats.Count == 0)
                    {
                        notes.Add($"{attachPoint.Text}: not in the probe catalog, so args fields are unconstrained");
                        yield return new ProbeRun(probe, attachPoint, attachPoint.CanonicalText, null, null, null, contracts.Find(attachPoint));
                        continue;
                    }

                    if (formats.Count > MaxTracepointExpansion)
                    {
                        // Marked before the runs are produced, so every run of this attach point knows it is partial.
                        notes.Add($"{attachPoint.Text} matches {formats.Count} tracepoints; the first {MaxTracepointExpansion} were explored");
                        incompleteHooks.Add(attachPoint.Text);
                    }

                    foreach (var format in formats.Take(MaxTracepointExpansion))
                    {
                        yield return new ProbeRun(probe, attachPoint, "tracepoint:" + format.Name, format, null, null, contracts.FindTracepoint(format.Name));
                    }

                    break;
                }

                case ProbeType.Kprobe or ProbeType.Kretprobe or ProbeType.Kfunc or ProbeType.Kretfunc when attachPoint.Parts.Length > 0 && !attachPoint.HasWildcard:
                {
                    var function = attachPoint.Parts[^1].Split('+')[0];
                    var btfFunction = catalog?.FindKernelFunction(function);
                    var prototype = btfFunction is null ? null : Btf!.PrototypeOf(btfFunction);
                    yield return new ProbeRun(probe, attachPoint, attachPoint.CanonicalText, null, function, prototype, contracts.FindFunction(function));
                    break;
                }

                default:
                    yield return new ProbeRun(probe, attachPoint, attachPoint.CanonicalText, null, null, null, contracts.Find(attachPoint));
                    break;
            }
        }
    }

    private static string Unquote(string part) => part.Length >= 2 && part[0] == '"' && part[^1] == '"' ? part[1..^1] : part;

    private void Execute(ProbeRun probeRun)
    {
        run = probeRun;
        incomplete = incompleteHooks.Contains(probeRun.AttachPoint.Text)
            ? $"{probeRun.AttachPoint.Text} matches more tracepoints than were explored"
            : null;
        runVerdicts = [];
        var state = PathState.Initial.Step($"hook {run.Hook}" + (run.Contract is null ? " (no contract)" : $" (contract: {run.Contract.Title})"));
        state = ApplyContract(state);
        state = StartReaches(state);
        if (run.Probe.Predicate is { } predicate)
        {
            state = Guarded(state, predicate, frame => AssumeTruthy(predicate, frame)
                .Step($"line {Line(predicate.Span)}: predicate /{BpftracePrinter.Print(predicate)}/ holds"));
        }

        ExecuteBlock(run.Probe.Body.Statements, [state]);
        FinishReaches();
        foreach (var (key, verdicts) in runVerdicts)
        {
            var accumulator = Accumulator(key);
            foreach (var verdict in verdicts)
            {
                accumulator.Add(incomplete is not null && verdict is SymbolicVerdict.Verified
                    ? new SymbolicVerdict.Unknown($"not every path was explored: {incomplete}")
                    : verdict);
            }
        }
    }

    private AssertionAccumulator Accumulator(int key)
    {
        if (!assertions.TryGetValue(key, out var accumulator))
        {
            assertions[key] = accumulator = new AssertionAccumulator();
        }

        return accumulator;
    }

    /// <summary>The budget that ran out (and from then on: exploration stops, the run counts as incomplete), or null.</summary>
    private string? OutOfBudget()
    {
        if (exhausted is null && options.EffectiveBudget.Exhausted(pathsExplored, solver.Queries.Length, clock.Elapsed) is { } reason)
        {
            exhausted = reason;
            notes.Add($"symbolic execution stopped: {reason}");
        }

        if (exhausted is not null)
        {
            incomplete ??= exhausted;
        }

        return exhausted;
    }

    /// <summary>Assumes the hook's contract: preconditions when the probe sees the arguments (kprobe, kfunc, kretfunc,
    /// tracepoint) and postconditions when it sees the return value (kretprobe, kretfunc).</summary>
    private PathState ApplyContract(PathState state)
    {
        if (run.Contract is not { } contract)
        {
            return state;
        }

        contractsUsed.Add(contract.Title);
        var clauses = run.Type switch
        {
            ProbeType.Kretprobe => contract.Post,
            ProbeType.Kretfunc => contract.Pre.AddRange(contract.Post),
            _ => contract.Pre,
        };
        foreach (var clause in clauses)
        {
            var expression = ContractInstantiator.Instantiate(clause.Expression, run.Type, run.Prototype, Btf, constants);
            state = Guarded(state, expression, frame => AssumeTruthy(expression, frame),
                problem => notes.Add($"{contract.Title}: contract clause '{clause.Text}' ({clause.Location}) was not assumed: {problem}"));
        }

        return state;
    }

    // ---------------------------------------------------------------- statements

    private List<PathState> ExecuteBlock(IEnumerable<Statement> statements, List<PathState> states)
    {
        foreach (var statement in statements)
        {
            if (OutOfBudget() is not null)
            {
                // The rest is not explored: these paths end here, and the run is incomplete (nothing after this is proved).
                return [.. states.Select(s => s with { Status = FlowStatus.Returned })];
            }

            var next = new List<PathState>(states.Count);
            foreach (var state in states)
            {
                if (state.IsRunning)
                {
                    Work++;
                    next.AddRange(ExecuteStatement(statement, state));
                }
                else
                {
                    next.Add(state);
                }
            }

            states = Bound(next);
        }

        return states;
    }

    private List<PathState> Bound(List<PathState> states)
    {
        if (states.Count <= options.MaxPaths)
        {
            return states;
        }

        incomplete ??= $"more than {options.MaxPaths} paths in {run.Hook}";
        return states.GetRange(0, options.MaxPaths);
    }

    private IEnumerable<PathState> ExecuteStatement(Statement statement, PathState state)
    {
        if (reachTargets.TryGetValue(statement.Span.Start, out var reaching))
        {
            foreach (var reach in reaching.Distinct())
            {
                reach.Reached.Add(state);
            }
        }

        switch (statement)
        {
            case Block block:
                return ExecuteBlock(block.Statements, [state]);
            case ExpressionStatement expression:
                return [Guarded(state, expression, frame => { Eval(expression.Expression, frame); return frame.State; })];
            case AssignmentStatement assignment:
                return [Guarded(state, assignment, frame => { Assign(assignment, frame); return frame.State; },
                    problem => AssignOpaque(assignment, state, problem))];
            case IfStatement conditional:
                return If(conditional, state);
            case WhileStatement loop:
                return While(loop, state);
            case UnrollStatement unroll:
                return Unroll(unroll, state);
            case JumpStatement jump:
            {
                var evaluated = jump.Value is null ? state : Guarded(state, jump.Value, frame => { Eval(jump.Value, frame); return frame.State; });
                return [evaluated with
                {
                    Status = jump.Kind switch
                    {
                        JumpKind.Break => FlowStatus.Broke,
                        JumpKind.Continue => FlowStatus.Continued,
                        _ => FlowStatus.Returned,
                    },
                }];
            }

            case AnnotationStatement { Kind: AnnotationKind.Assume } assume:
                return [Assume(assume, state)];
            case AnnotationStatement assertion:
                return [Assert(assertion, state)];
            default:
                notes.Add($"line {Line(statement.Span)}: statement not modelled, skipped");
                return [state];
        }
    }

    /// <summary>Evaluates a condition (which may read inputs into the frame's state) and then assumes it.</summary>
    private PathState AssumeTruthy(Expression condition, Frame frame)
    {
        var value = Truthy(Eval(condition, frame), condition);
        return frame.State.Assume(value);
    }

    private PathState Assume(AnnotationStatement assume, PathState state)
    {
        try
        {
            var frame = new Frame(state) { InAnnotation = true };
            var condition = Truthy(Eval(assume.Condition, frame), assume.Condition);
            return frame.State.Assume(condition);
        }
        catch (UnsupportedConstructException e)
        {
            notes.Add($"line {Line(assume.Span)}: assume({BpftracePrinter.Print(assume.Condition)}) was not used: {e.Construct}");
            return state;
        }
    }

    private PathState Assert(AnnotationStatement assertion, PathState state)
    {
        var frame = new Frame(state) { InAnnotation = true, Trace = [] };
        Term condition;
        try
        {
            condition = Truthy(Eval(assertion.Condition, frame), assertion.Condition);
        }
        catch (UnsupportedConstructException e)
        {
            Record(assertion, new SymbolicVerdict.Unsupported(e.Construct, e.Span));
            return state;
        }

        state = frame.State;
        if (OutOfBudget() is { } reason)
        {
            Record(assertion, new SymbolicVerdict.Unknown(reason));
            return state;
        }

        var purpose = $"{Source.Path}:{Line(assertion.Span)}: assert({BpftracePrinter.Print(assertion.Condition)}) in {run.Hook}, path {state.Path.Count} decisions";
        var outcome = solver.Check([.. state.Conditions, .. state.Asserted, ctx.MkNot(condition)], purpose);
        switch (outcome.Answer)
        {
            case QueryAnswer.Unsat:
                Record(assertion, new SymbolicVerdict.Verified(1));
                break;
            case QueryAnswer.Sat:
                Record(assertion, new CounterexampleBuilder(outcome.Model!, run).Build(state, frame.Trace!, assertion));
                break;
            default:
                Record(assertion, new SymbolicVerdict.Unknown($"the solver answered unknown ({outcome.ReasonUnknown ?? "no reason given"}); the timeout is {options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"));
                break;
        }

        // Later assertions are checked on paths where this one held, so one bug is reported once.
        return condition.IsTrue ? state : state with { Asserted = state.Asserted.Add(condition) };
    }

    private void Record(AnnotationStatement assertion, SymbolicVerdict verdict)
    {
        if (!runVerdicts.TryGetValue(assertion.Span.Start, out var list))
        {
            runVerdicts[assertion.Span.Start] = list = [];
        }

        list.Add(verdict);
    }

    private IEnumerable<PathState> If(IfStatement conditional, PathState state)
    {
        Term? condition = null;
        state = Guarded(state, conditional.Condition, frame =>
        {
            condition = Truthy(Eval(conditional.Condition, frame), conditional.Condition);
            return frame.State;
        });
        condition ??= FreshBool($"if at line {Line(conditional.Span)}");
        var text = BpftracePrinter.Print(conditional.Condition);
        var line = Line(conditional.Span);
        var results = new List<PathState>();
        var simplified = solver.Simplify(condition);
        if (!simplified.IsFalse)
        {
            results.AddRange(ExecuteBlock(conditional.Then.Statements, [state.Assume(condition).Step($"line {line}: if ({text}) is true")]));
        }

        if (!simplified.IsTrue)
        {
            if (!simplified.IsFalse)
            {
                pathsExplored++; // the if forks: one more path
            }

            var otherwise = state.Assume(ctx.MkNot(condition)).Step($"line {line}: if ({text}) is false");
            results.AddRange(conditional.Else is null ? [otherwise] : ExecuteBlock([conditional.Else], [otherwise]));
        }

        return results;
    }

    private IEnumerable<PathState> Unroll(UnrollStatement unroll, PathState state)
    {
        if (unroll.Count is not IntegerLiteral { Value: var count and <= 100 })
        {
            notes.Add($"line {Line(unroll.Span)}: unroll count is not a literal; the body was explored once");
            count = 1;
        }

        var states = new List<PathState> { state };
        for (var i = 0; i < (int)count; i++)
        {
            states = ExecuteBlock(unroll.Body.Statements, [.. states.Select(s => s.IsRunning ? s.Step($"line {Line(unroll.Span)}: unroll iteration {i + 1}") : s)]);
        }

        return states;
    }

    private IEnumerable<PathState> While(WhileStatement loop, PathState state)
    {
        var line = Line(loop.Span);
        var text = BpftracePrinter.Print(loop.Condition);
        var exited = new List<PathState>();
        var looping = new List<PathState> { state };
        for (var iteration = 0; looping.Count > 0; iteration++)
        {
            var entering = new List<PathState>();
            foreach (var current in looping)
            {
                Term? condition = null;
                var evaluated = Guarded(current, loop.Condition, frame =>
                {
                    condition = Truthy(Eval(loop.Condition, frame), loop.Condition);
                    return frame.State;
                });
                condition ??= FreshBool($"while at line {line}");
                var simplified = solver.Simplify(condition);
                var stays = evaluated.Assume(condition);
                var leaves = evaluated.Assume(ctx.MkNot(condition)).Step($"line {line}: while ({text}) ends after {iteration} iteration{(iteration == 1 ? string.Empty : "s")}");
                if (!simplified.IsTrue && (simplified.IsFalse || Feasible(leaves, $"while loop at line {line} can end after {iteration} iterations")))
                {
                    exited.Add(leaves);
                }

                if (simplified.IsFalse || (!simplified.IsTrue && !Feasible(stays, $"while loop at line {line} can run iteration {iteration + 1}")))
                {
                    continue;
                }

                if (iteration >= options.LoopBound)
                {
                    incomplete ??= $"the while loop at line {line} can run more than {options.LoopBound} iterations (the exploration bound)";
                    continue;
                }

                pathsExplored++;
                entering.Add(stays.Step($"line {line}: while ({text}) iteration {iteration + 1}"));
            }

            looping = [];
            foreach (var after in ExecuteBlock(loop.Body.Statements, entering))
            {
                switch (after.Status)
                {
                    case FlowStatus.Broke:
                        exited.Add(after with { Status = FlowStatus.Running });
                        break;
                    case FlowStatus.Continued:
                        looping.Add(after with { Status = FlowStatus.Running });
                        break;
                    case FlowStatus.Running:
                        looping.Add(after);
                        break;
                    default:
                        exited.Add(after);
                        break;
                }
            }

            looping = Bound(looping);
        }

        return exited;
    }

    private bool Feasible(PathState state, string purpose)
    {
        if (OutOfBudget() is not null)
        {
            return false;
        }

        var outcome = solver.Check([.. state.Conditions], "feasibility: " + purpose);
        return outcome.Answer != QueryAnswer.Unsat;
    }

    /// <summary>Runs an evaluation on a frame; when it needs an unmodelled construct, keeps the state unchanged and notes why.</summary>
    private PathState Guarded(PathState state, Bpftrace.Syntax.SyntaxNode node, Func<Frame, PathState> evaluate, Action<string>? onUnsupported = null)
    {
        try
        {
            return evaluate(new Frame(state));
        }
        catch (UnsupportedConstructException e)
        {
            if (onUnsupported is null)
            {
                notes.Add($"line {Line(node.Span)}: {e.Construct}; the value is left unconstrained");
            }
            else
            {
                onUnsupported(e.Construct);
            }

            return state;
        }
    }

    private PathState AssignOpaque(AssignmentStatement assignment, PathState state, string problem)
    {
        notes.Add($"line {Line(assignment.Span)}: {problem}; the assigned value is left unconstrained");
        return assignment.Target is VariableExpression variable
            ? state with { Variables = state.Variables.SetItem(variable.Name, new OpaqueValue(problem)) }
            : state;
    }

    private int Line(TextSpan span) => Source.GetLinePosition(span.Start).Line;

    private Term FreshBool(string what)
    {
        notes.Add($"{what}: condition not modelled, both outcomes explored");
        return ctx.MkBoolConst($"cond!{++freshCounter}");
    }

    /// <summary>Evaluation state for one expression: the path so far, the guard under which side effects happen (inside
    /// the branches of <c>?:</c>, <c>&&</c>, <c>||</c>), whether it is an annotation, and the sub-expression values seen.</summary>
    private sealed class Frame(PathState state)
    {
        public PathState State { get; set; } = state;

        public Term? Guard { get; set; }

        public bool InAnnotation { get; init; }

        public List<(string Name, SymValue Value)>? Trace { get; init; }
    }

    /// <summary>Merges the verdicts of every path and hook that reached one assertion.</summary>
    private sealed class AssertionAccumulator
    {
        private SymbolicVerdict? worst;
        private int proofs;

        public SymbolicVerdict Verdict => worst is null or SymbolicVerdict.Verified ? new SymbolicVerdict.Verified(proofs) : worst;

        public void Add(SymbolicVerdict verdict)
        {
            if (verdict is SymbolicVerdict.Verified)
            {
                proofs++;
            }

            if (worst is null || verdict.Severity > worst.Severity)
            {
                worst = verdict;
            }
        }
    }
}
