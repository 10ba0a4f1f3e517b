using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;

namespace Kgent.Kernel.Intent;

/// <summary>What a program outputs, read off its tree: every printf and every map aggregation (with its key parts and the
/// value it aggregates, variables resolved to what was assigned to them in the probe), and every map that stores a
/// timestamp (<c>@start[tid] = nsecs</c>) for a latency.</summary>
internal sealed class ProgramFacts
{
    private readonly LineMap lines;

    private ProgramFacts(ParseResult parse, LineMap lines, ImmutableArray<ProgramOutput> outputs, ImmutableArray<TimestampStore> stores)
    {
        this.lines = lines;
        Parse = parse;
        Outputs = outputs;
        Stores = stores;
    }

    public ParseResult Parse { get; }

    public ImmutableArray<ProgramOutput> Outputs { get; }

    public ImmutableArray<TimestampStore> Stores { get; }

    /// <summary>The program's own line (annotation lines Kgent inserted not counted) of an offset in the parsed text.</summary>
    public int Line(int offset) => lines.Original(Parse.Source.GetLinePosition(offset).Line);

    public static ProgramFacts Of(ParseResult parse, LineMap? lines = null)
    {
        var outputs = ImmutableArray.CreateBuilder<ProgramOutput>();
        var stores = ImmutableArray.CreateBuilder<TimestampStore>();
        foreach (var probe in parse.Program.Probes)
        {
            var variables = new Dictionary<string, Expression>(StringComparer.Ordinal);
            foreach (var statement in probe.Body.DescendantNodesAndSelf().OfType<Statement>())
            {
                switch (statement)
                {
                    case AssignmentStatement { Target: VariableExpression variable, CompoundOperator: null } assignment:
                        variables[variable.Name] = Resolve(assignment.Value, variables);
                        break;
                    case ExpressionStatement { Expression: CallExpression { Name: "printf" or "print" } call } when call.Name == "printf" || call.Arguments.FirstOrDefault() is not MapExpression:
                        outputs.Add(new ProgramOutput(probe, statement, ComputationKind.Print, null, [], null,
                            [.. call.Arguments.Skip(call.Name == "printf" ? 1 : 0).Select(a => Resolve(a, variables))], call));
                        break;
                    case AssignmentStatement { Target: MapExpression map, CompoundOperator: null, Value: CallExpression aggregation } when Aggregation(aggregation.Name) is { } kind:
                        outputs.Add(new ProgramOutput(probe, statement, kind, map.Name, Keys(map, variables),
                            aggregation.Arguments.Length > 0 ? Resolve(aggregation.Arguments[0], variables) : null, [], aggregation));
                        break;
                    case AssignmentStatement { Target: MapExpression map, CompoundOperator: BinaryOperator.Add, Value: var value }:
                        outputs.Add(new ProgramOutput(probe, statement, value is IntegerLiteral { Value: 1 } ? ComputationKind.Count : ComputationKind.Sum, map.Name,
                            Keys(map, variables), value is IntegerLiteral { Value: 1 } ? null : Resolve(value, variables), [], null));
                        break;
                    case ExpressionStatement { Expression: UnaryExpression { Operator: UnaryOperator.PreIncrement or UnaryOperator.PostIncrement, Operand: MapExpression map } }:
                        outputs.Add(new ProgramOutput(probe, statement, ComputationKind.Count, map.Name, Keys(map, variables), null, [], null));
                        break;
                    case AssignmentStatement { Target: MapExpression map, CompoundOperator: null, Value: BuiltinExpression { Name: "nsecs" } }:
                        stores.Add(new TimestampStore(probe, map.Name, Keys(map, variables), statement));
                        break;
                }
            }
        }

        return new ProgramFacts(parse, lines ?? LineMap.Identity, outputs.ToImmutable(), stores.ToImmutable());
    }

    private static ImmutableArray<Expression> Keys(MapExpression map, Dictionary<string, Expression> variables) =>
        [.. map.Keys.SelectMany(k => k is TupleExpression tuple ? tuple.Elements : [k]).Select(k => Resolve(k, variables))];

    /// <summary>A variable stands for what was last assigned to it in the probe (<c>$d = nsecs - @s[tid]; @h = hist($d)</c>),
    /// wherever it appears in the expression (<c>hist((nsecs - $last) / 1000)</c>). Assigned values are already resolved.</summary>
    private static Expression Resolve(Expression expression, Dictionary<string, Expression> variables) =>
        ExpressionRewriter.Rewrite(expression, e => e is VariableExpression variable && variables.TryGetValue(variable.Name, out var value) ? value : null);

    private static ComputationKind? Aggregation(string name) => name switch
    {
        "count" => ComputationKind.Count,
        "sum" => ComputationKind.Sum,
        "hist" => ComputationKind.Histogram,
        "lhist" => ComputationKind.LinearHistogram,
        "avg" => ComputationKind.Average,
        "min" => ComputationKind.Minimum,
        "max" => ComputationKind.Maximum,
        "stats" => ComputationKind.Stats,
        _ => null,
    };
}

/// <summary>One output statement: a printf (with its printed arguments) or a map aggregation (its map, key parts and value).</summary>
internal sealed record ProgramOutput(Probe Probe, Statement Statement, ComputationKind Kind, string? Map, ImmutableArray<Expression> Keys, Expression? Value,
    ImmutableArray<Expression> Printed, CallExpression? Call)
{
    public IEnumerable<string> Hooks => Probe.AttachPoints.Select(a => a.CanonicalText);
}

/// <summary><c>@map[keys] = nsecs</c>: the start of a latency.</summary>
internal sealed record TimestampStore(Probe Probe, string Map, ImmutableArray<Expression> Keys, Statement Statement);
