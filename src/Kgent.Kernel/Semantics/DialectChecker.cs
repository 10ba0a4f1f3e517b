using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Language;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Semantics;

/// <summary>
/// Holds a program to the target bpftrace release: every construct, function or builtin that the release lacks (the
/// parser reads all of 0.17 through 0.27) is KG2701, naming the release that added it and how the target says the same;
/// one the release removed is KG2702; one it deprecated is a KG2703 warning. The releases come from
/// <see cref="LanguageFeatures"/>, bpftrace's own CHANGELOG.
/// </summary>
public sealed class DialectChecker
{
    private readonly Version target;
    private readonly Action<DiagnosticDescriptor, TextSpan, string, string?> report;

    internal DialectChecker(CheckContext context)
        : this(context.Options.Target, (descriptor, span, message, hint) => context.Report(descriptor, span, message, hint))
    {
    }

    private DialectChecker(Version target, Action<DiagnosticDescriptor, TextSpan, string, string?> report)
    {
        this.target = target;
        this.report = report;
    }

    private Version Target => target;

    /// <summary>The KG27xx diagnostics alone, with no kernel catalog: what <paramref name="target"/> lacks, removed or
    /// deprecated in the program (for <c>kgent fmt --to</c>).</summary>
    public static ImmutableArray<Diagnostic> Check(BpftraceProgram program, Version target)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        new DialectChecker(target, (descriptor, span, message, hint) => diagnostics.Add(new Diagnostic(descriptor, span, message, hint))).Check(program);
        return diagnostics.ToImmutable();
    }

    public void Check(BpftraceProgram program)
    {
        foreach (var node in program.DescendantNodesAndSelf())
        {
            foreach (var (id, span, spelled) in FeaturesOf(node))
            {
                Require(LanguageFeatures.Get(id), span, spelled, RewriteOf(node, id));
            }
        }
    }

    /// <summary>The features a node uses: the feature's id, where, and how the program spells it (for the message).</summary>
    private static IEnumerable<(string Id, TextSpan Span, string Spelled)> FeaturesOf(SyntaxNode node)
    {
        switch (node)
        {
            case ConfigBlock config:
                yield return ("config-block", Head(config.Span, 6), "config = { … }");
                break;
            case MacroDefinition macro:
                yield return ("macros", macro.NameSpan, $"macro {macro.Name}");
                break;
            case MapDeclaration declaration:
                yield return ("map-declarations", declaration.Map.Span, $"let {declaration.Map.Name} = …");
                break;
            case ImportDirective import:
                yield return ("imports", Head(import.Span, 6), "import");
                break;
            case AssignmentStatement { Let: { } let }:
                yield return ("let", let, "let");
                break;
            case VariableDeclaration declaration:
                yield return ("let", Head(declaration.Span, 3), "let");
                break;
            case ForStatement loop:
                yield return loop.Source is RangeExpression
                    ? ("for-range", Head(loop.Span, 3), "for ($i : a..b)")
                    : ("for-each-map", Head(loop.Span, 3), "for ($kv : @map)");
                if (loop.BareHeader)
                {
                    yield return ("omitted-parentheses", loop.Variable.Span, "for without parentheses");
                }

                break;
            case IfStatement { BareCondition: true } conditional:
                yield return ("omitted-parentheses", conditional.Condition.Span, "if without parentheses");
                break;
            case WhileStatement loop:
                if (loop.BareCondition)
                {
                    yield return ("omitted-parentheses", loop.Condition.Span, "while without parentheses");
                }

                yield return ("while", Head(loop.Span, 5), "while");
                break;
            case AttachPoint { Type: not ProbeType.Unknown } attachPoint:
                if (!IsCanonicalProvider(attachPoint))
                {
                    yield return ("case-insensitive-providers", Head(attachPoint.Span, attachPoint.Provider.Length), attachPoint.Provider);
                }

                if (attachPoint.Type == ProbeType.RawTracepoint)
                {
                    yield return ("raw-tracepoint-probes", Head(attachPoint.Span, attachPoint.Provider.Length), attachPoint.Provider);
                }

                break;
            case BooleanLiteral boolean:
                yield return ("booleans", boolean.Span, boolean.Value ? "true" : "false");
                break;
            case IntegerLiteral { DurationUnit: not null } duration:
                yield return ("duration-literals", duration.Span, duration.Text);
                break;
            case RecordExpression record:
                yield return ("records", record.Span, "(name = …)");
                break;
            case UnaryExpression { Operator: UnaryOperator.AddressOf } address:
                yield return ("address-of", Head(address.Span, 1), "&");
                break;
            case BuiltinExpression builtin:
                if (builtin.CallStyle)
                {
                    yield return ("call-style-builtins", builtin.Span, builtin.Name + "()");
                }

                if (LanguageFeatures.ForBuiltin(builtin.Name) is { } builtinFeature)
                {
                    yield return (builtinFeature.Id, builtin.Span, builtin.Name);
                }

                break;
            case CallExpression { Name: "delete", Arguments: [MapExpression { Keys.Length: 0 } map, var key] } delete:
                yield return ("delete-map-key", delete.NameSpan, $"delete({map.Name}, {BpftracePrinter.Print(key)})");
                break;
            case CallExpression call when LanguageFeatures.ForFunction(call.Name) is { } functionFeature:
                yield return (functionFeature.Id, call.NameSpan, call.Name + "()");
                break;
        }
    }

    /// <summary>How this program says the same to a release without the feature, when the node alone decides it.</summary>
    private static string? RewriteOf(SyntaxNode node, string id) => (node, id) switch
    {
        (AssignmentStatement assignment, "let") => $"drop `let`: write {BpftracePrinter.Print(assignment.Target)} = … (a plain assignment declares the variable)",
        (VariableDeclaration declaration, "let") => $"drop the declaration: assign {declaration.Variable.Name} before its first use",
        (BooleanLiteral boolean, _) => $"write {(boolean.Value ? 1 : 0)}",
        (IntegerLiteral duration, _) => $"write {duration.Value} (nanoseconds)",
        (BuiltinExpression { CallStyle: true } builtin, "call-style-builtins") => $"write {builtin.Name}",
        (IfStatement conditional, _) => $"write if ({BpftracePrinter.Print(conditional.Condition)}) {{",
        (WhileStatement loop, "omitted-parentheses") => $"write while ({BpftracePrinter.Print(loop.Condition)}) {{",
        (AttachPoint attachPoint, "case-insensitive-providers") => $"write {attachPoint.CanonicalText}",
        (CallExpression { Arguments: [MapExpression map, var key] }, "delete-map-key") => $"write delete({map.Name}[{BpftracePrinter.Print(key)}])",
        _ => null,
    };

    private static bool IsCanonicalProvider(AttachPoint attachPoint) =>
        attachPoint.Type is ProbeType.Begin or ProbeType.End
            ? attachPoint.Provider is "BEGIN" or "END"
            : ProbeTypeInfo.Find(attachPoint.Provider) is not null;

    private static TextSpan Head(TextSpan span, int length) => new(span.Start, Math.Min(length, span.Length));

    private void Require(LanguageFeature feature, TextSpan span, string spelled, string? rewrite)
    {
        var target = BpftraceLanguage.Name(Target);
        var what = $"`{spelled}`";
        if (feature.Removed is { } removed && Target >= removed)
        {
            report(SemanticDiagnostics.RemovedFromBpftrace, span,
                $"{what} was removed in bpftrace {LanguageFeature.Name(removed)}, with {feature.Title}" +
                (feature.Deprecated is { } since ? $" (deprecated since {LanguageFeature.Name(since)})" : string.Empty) + $"; the target is bpftrace {target}",
                feature.Older is { } newer ? $"on bpftrace {target} write {newer}" : $"bpftrace {target} has no replacement; drop it");
            return;
        }

        if (feature.Added is { } added && Target < added)
        {
            report(SemanticDiagnostics.NeedsNewerBpftrace, span,
                $"{what} needs bpftrace {LanguageFeature.Name(added)}, which added {feature.Title}; the target is bpftrace {target}",
                rewrite is not null ? $"on bpftrace {target}, {rewrite}"
                : feature.Older is { } older
                    ? $"on bpftrace {target} write {older}"
                    : $"bpftrace {target} has no way to say this; target bpftrace {LanguageFeature.Name(added)} or later, or write the program without it");
            return;
        }

        if (feature.Deprecated is { } deprecated && Target >= deprecated && feature.Removed is null)
        {
            report(SemanticDiagnostics.DeprecatedInBpftrace, span,
                $"{what} is deprecated since bpftrace {LanguageFeature.Name(deprecated)}; the target is bpftrace {target}",
                feature.Older is { } newer ? $"write {newer}" : null);
        }
    }
}
