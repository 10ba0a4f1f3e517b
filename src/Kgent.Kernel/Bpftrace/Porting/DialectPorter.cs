using System.Collections.Immutable;
using System.Globalization;
using Kgent.Kernel.Bpftrace.Language;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Bpftrace.Porting;

/// <summary>
/// <c>kgent fmt --to VERSION</c>: rewrites a program into another bpftrace release's dialect where the meaning stays the
/// same, and says exactly what cannot be ported. Down to an older release: <c>let</c> becomes a plain assignment (a
/// declaration without a value is dropped: the older release declares at the first assignment), <c>true</c>/<c>false</c>
/// become 1/0, duration literals nanoseconds, <c>comm()</c> becomes <c>comm</c>, <c>args.f</c> becomes <c>args-&gt;f</c>,
/// <c>delete(@m, k)</c> becomes <c>delete(@m[k])</c>, and conditions get their parentheses. Up from 0.17:
/// <c>args-&gt;f</c> becomes <c>args.f</c> (0.19's spelling). The rest (config blocks, macros, for loops, records,
/// <c>&amp;</c>, map declarations, newer functions) has no same-meaning spelling in a release without it: the port keeps
/// it and reports it, with the release that added it. A release's bug is ported around where there is a way: on 0.23,
/// which reads __data_loc fields at a wrong address, a tracepoint probe reading one becomes the same event's raw
/// tracepoint (<see cref="RawTracepointReadings"/>).
/// </summary>
public static class DialectPorter
{
    /// <summary>A program's text in the target's dialect when a port changes it and is complete; else the text as given
    /// (also when it does not parse). How the offline model and the prompt's examples meet the target.</summary>
    public static string InDialect(string program, Version target, string path = "program.bt")
    {
        var parse = BpftraceParser.Parse(program, path);
        if (parse.HasErrors)
        {
            return program;
        }

        var port = Port(parse, target);
        return port.IsComplete && port.Rewrites.Length > 0 ? port.Text : program;
    }

    /// <param name="catalog">With a kernel catalog, the port is also checked at the target against the kernel's types:
    /// <c>.</c> on a pointer before 0.25 and a release's bugs (KG2704, such as 0.23 reading __data_loc fields wrongly)
    /// are reported too.</param>
    public static PortResult Port(ParseResult program, Version target, KernelInfo.Catalog.ProbeCatalog? catalog = null)
    {
        var rewrites = ImmutableArray.CreateBuilder<PortRewrite>();
        var port = new Porter(program.Source, target, rewrites);
        var items = program.Program.Items.Select(port.Item).ToImmutableArray();
        var printed = BpftracePrinter.Print(program.Program with { Items = items }, program.Source);
        var ported = BpftraceParser.Parse(new SourceText(printed, program.Source.Path));
        var unported = catalog is null
            ? Semantics.DialectChecker.Check(ported.Program, target)
            : [.. Semantics.SemanticChecker.Check(ported, catalog, Semantics.CheckOptions.Default with { TargetVersion = target }).Diagnostics
                .Where(d => d.Code.StartsWith("KG27", StringComparison.Ordinal) || d.Code == "KG2205")];
        return new PortResult(target, ported, rewrites.ToImmutable(), unported);
    }

    private sealed class Porter(SourceText source, Version target, ImmutableArray<PortRewrite>.Builder rewrites)
    {
        private bool Has(string feature) => LanguageFeatures.Get(feature).IsAvailableIn(target);

        private string Release => LanguageFeature.Name(target);

        private void Note(TextSpan at, string from, string to, string why) =>
            rewrites.Add(new PortRewrite(source.GetLinePosition(at.Start).Line, from, to, why));

        /// <summary>While a probe is ported through its raw tracepoint: how its <c>args</c> reads become argument reads.</summary>
        private RawTracepointReading? rawReading;

        public TopLevelItem Item(TopLevelItem item) => item switch
        {
            Probe probe => ThroughRawTracepoint(probe) ?? Probe(probe),
            MacroDefinition macro => macro with { Body = Block(macro.Body) },
            _ => item,
        };

        private Probe Probe(Probe probe) => probe with
        {
            Predicate = probe.Predicate is null ? null : Expression(probe.Predicate),
            Body = Block(probe.Body),
        };

        /// <summary>On a release that reads __data_loc fields wrongly (0.23), a tracepoint probe that reads one becomes
        /// the same event's raw tracepoint, each <c>args</c> field read from the kernel's arguments as the table
        /// (raw-tracepoints.yaml) says; null when the probe reads no such field, or reads one the table does not
        /// give, or <c>args</c> in another way (then the checker reports the bug).</summary>
        private Probe? ThroughRawTracepoint(Probe probe)
        {
            var bug = LanguageFeatures.Get("data-loc-read");
            if (!bug.HasBugIn(target)
                || probe.AttachPoints is not [{ Type: ProbeType.Tracepoint, HasWildcard: false, Parts: [var category, var @event] } point]
                || RawTracepointReadings.Find(category + ":" + @event) is not { } reading
                || !ArgsFields(probe).Any(reading.Strings.ContainsKey))
            {
                return null;
            }

            var before = rewrites.Count;
            rawReading = reading;
            var ported = Probe(probe);
            rawReading = null;
            if (ported.DescendantNodesAndSelf().Any(n => n is BuiltinExpression { Name: "args" }))
            {
                while (rewrites.Count > before)
                {
                    rewrites.RemoveAt(rewrites.Count - 1);
                }

                return null;
            }

            var raw = new AttachPoint(reading.RawAttachPoint, ProbeType.RawTracepoint, "rawtracepoint", [reading.Event], point.Span);
            rewrites.Insert(before, new PortRewrite(source.GetLinePosition(point.Span.Start).Line, point.CanonicalText, raw.CanonicalText,
                $"bpftrace {Release} reads __data_loc fields at a wrong address ({LanguageFeature.Name(bug.Fixed!)} fixed it): the raw tracepoint "
                + $"is the same event, and its arguments ({string.Join(", ", reading.Arguments)}) are arg0, arg1, …"));
            return ported with { AttachPoints = [raw] };
        }

        private static IEnumerable<string> ArgsFields(Probe probe) => probe.DescendantNodesAndSelf()
            .OfType<FieldAccessExpression>().Where(f => f.Target is BuiltinExpression { Name: "args" }).Select(f => f.Field);

        private Expression? RawRead(Expression e) => (rawReading, e) switch
        {
            ({ } reading, CallExpression { Name: "str", Arguments: [FieldAccessExpression { Target: BuiltinExpression { Name: "args" }, Field: var f }] })
                when reading.Strings.TryGetValue(f, out var text) =>
                Replace(e, RawTracepointReading.Parse(text), $"{reading.RawAttachPoint} reads the string '{f}' from the kernel's arguments"),
            ({ } reading, FieldAccessExpression { Target: BuiltinExpression { Name: "args" }, Field: var f })
                when reading.Fields.TryGetValue(f, out var text) =>
                Replace(e, RawTracepointReading.Parse(text), $"{reading.RawAttachPoint} reads '{f}' from the kernel's arguments"),
            _ => null,
        };

        private Block Block(Block block) => block with { Statements = [.. block.Statements.SelectMany(Statement)] };

        private IEnumerable<Statement> Statement(Statement statement)
        {
            switch (statement)
            {
                case VariableDeclaration declaration when !Has("let"):
                    Note(declaration.Span, Print(declaration), "(dropped)",
                        $"bpftrace {Release} has no declarations: {declaration.Variable.Name} is declared where it is first assigned");
                    yield break;
                case AssignmentStatement { Let: not null } let when !Has("let"):
                {
                    var value = Expression(let.Value);
                    if (let.DeclaredType is { } type)
                    {
                        // The declared type narrows the value: keep that with a cast.
                        value = new CastExpression(type, value, value.Span);
                    }

                    var plain = let with { Let = null, DeclaredType = null, Value = value };
                    Note(let.Span, Print(let), Print(plain), $"bpftrace {Release} has no `let` (0.22): a plain assignment declares the variable");
                    yield return plain;
                    yield break;
                }

                case AssignmentStatement assignment:
                    yield return assignment with { Target = Expression(assignment.Target), Value = Expression(assignment.Value) };
                    yield break;
                case ExpressionStatement expression:
                    yield return expression with { Expression = Expression(expression.Expression) };
                    yield break;
                case IfStatement conditional:
                    yield return If(conditional);
                    yield break;
                case WhileStatement loop:
                    yield return loop with { Condition = Condition(loop.Condition, loop.BareCondition, "while"), Body = Block(loop.Body), BareCondition = false };
                    yield break;
                case UnrollStatement unroll:
                    yield return unroll with { Body = Block(unroll.Body) };
                    yield break;
                case ForStatement loop:
                    yield return loop with { Source = Expression(loop.Source), Body = Block(loop.Body), BareHeader = false };
                    yield break;
                case Block block:
                    yield return Block(block);
                    yield break;
                case JumpStatement { Value: not null } jump:
                    yield return jump with { Value = Expression(jump.Value) };
                    yield break;
                default:
                    yield return statement;
                    yield break;
            }
        }

        private IfStatement If(IfStatement conditional) => conditional with
        {
            Condition = Condition(conditional.Condition, conditional.BareCondition, "if"),
            Then = Block(conditional.Then),
            Else = conditional.Else switch
            {
                IfStatement elseIf => If(elseIf),
                Block block => Block(block),
                var other => other,
            },
            BareCondition = false,
        };

        private Expression Condition(Expression condition, bool bare, string keyword)
        {
            if (bare && !Has("omitted-parentheses"))
            {
                Note(condition.Span, $"{keyword} {Print(condition)} {{", $"{keyword} ({Print(condition)}) {{", $"bpftrace {Release} needs the parentheses (0.24 let them go)");
            }

            return Expression(condition);
        }

        private Expression Expression(Expression expression) => ExpressionRewriter.Rewrite(expression, e => RawRead(e) ?? e switch
        {
            BooleanLiteral boolean when !Has("booleans") => Replace(boolean, new IntegerLiteral(boolean.Value ? 1UL : 0UL, false, boolean.Value ? "1" : "0", boolean.Span),
                $"bpftrace {Release} has no booleans (0.24)"),
            IntegerLiteral { DurationUnit: not null } duration when !Has("duration-literals") => Replace(duration,
                duration with { Text = duration.Value.ToString(CultureInfo.InvariantCulture) }, $"bpftrace {Release} has no duration literals (0.24): nanoseconds"),
            BuiltinExpression { CallStyle: true } builtin when !Has("call-style-builtins") => Replace(builtin, builtin with { CallStyle = false },
                $"bpftrace {Release} has no call-style builtins (0.24)"),
            FieldAccessExpression { Target: BuiltinExpression { Name: "args" } target, IsArrow: false } field when !Has("args-struct") =>
                Replace(field, field with { Target = Expression(target), IsArrow = true }, $"args is a pointer on bpftrace {Release} (a structure from 0.19)"),
            FieldAccessExpression { Target: BuiltinExpression { Name: "args" } target, IsArrow: true } field when Has("args-struct") =>
                Replace(field, field with { Target = Expression(target), IsArrow = false }, $"args is a structure on bpftrace {Release}, read with '.' (0.19)"),
            CallExpression { Name: "delete", Arguments: [MapExpression { Keys.Length: 0 } map, var key] } delete when !Has("delete-map-key") =>
                Replace(delete, delete with { Arguments = [map with { Keys = [Expression(key)] }] },
                    $"bpftrace {Release} deletes a map element as delete(@m[key]) (0.22 took the key apart)"),
            _ => null,
        });

        private Expression Replace(Expression from, Expression to, string why)
        {
            Note(from.Span, Print(from), Print(to), why);
            return to;
        }

        private static string Print(SyntaxNode node) => node switch
        {
            Expression expression => BpftracePrinter.Print(expression),
            VariableDeclaration declaration => $"let {declaration.Variable.Name}{(declaration.Type is null ? string.Empty : ": " + declaration.Type)};",
            AssignmentStatement assignment => (assignment.Let is null ? string.Empty : "let ") + BpftracePrinter.Print(assignment.Target)
                + (assignment.DeclaredType is null ? string.Empty : ": " + assignment.DeclaredType) + " = " + BpftracePrinter.Print(assignment.Value) + ";",
            _ => node.ToString(),
        };
    }
}
