using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Semantics;

/// <summary>The static semantic checker: everything bpftrace would reject after parsing (and some things it
/// silently accepts), decided from the kernel catalog in milliseconds, without root and without loading anything.
/// Parse errors come first; semantic checks run on whatever parsed, so one typo does not hide the rest.</summary>
public static class SemanticChecker
{
    public static CheckResult Check(string text, string path, ProbeCatalog catalog, CheckOptions? options = null) =>
        Check(BpftraceParser.Parse(new SourceText(text, path)), catalog, options);

    public static CheckResult Check(ParseResult parse, ProbeCatalog catalog, CheckOptions? options = null)
    {
        var context = new CheckContext(catalog, options ?? CheckOptions.Default, parse.Source);
        var facts = PreprocessorAnalyzer.Analyze(parse.Program, context);
        // A bare name may call one of the program's macros (bpftrace 0.24): `if errname { … }`.
        var macros = parse.Program.Items.OfType<Bpftrace.Syntax.Items.MacroDefinition>().Select(m => m.Name).ToList();
        if (macros.Count > 0)
        {
            facts = facts with { Identifiers = facts.Identifiers.Concat(macros).ToHashSet(StringComparer.Ordinal) };
        }

        if (!catalog.HasBtf && parse.Program.DescendantNodesAndSelf().OfType<Bpftrace.Syntax.Expressions.CastExpression>().FirstOrDefault(
                c => c.Type.Name.StartsWith("struct ", StringComparison.Ordinal) || c.Type.Name.StartsWith("union ", StringComparison.Ordinal)) is { } cast)
        {
            context.Report(SemanticDiagnostics.NoBtf, cast.Span,
                $"this kernel catalog ({catalog.Source}) has no BTF, so struct fields are not checked and bpftrace needs kernel headers for '{cast.Type.Name}'",
                "check against a catalog with BTF (kgent catalog export on a kernel with /sys/kernel/btf/vmlinux) or #include the kernel header");
        }

        new DialectChecker(context).Check(parse.Program);
        var attachPoints = new AttachPointChecker(context);
        // Maps are global: one assigned in any probe (before or after in the source) may be read in every probe.
        var definedMaps = parse.Program.DescendantNodesAndSelf()
            .Select(n => n switch
            {
                Bpftrace.Syntax.Statements.AssignmentStatement { Target: Bpftrace.Syntax.Expressions.MapExpression map } => map.Name,
                Bpftrace.Syntax.Expressions.UnaryExpression
                {
                    Operator: Bpftrace.Syntax.Expressions.UnaryOperator.PreIncrement or Bpftrace.Syntax.Expressions.UnaryOperator.PreDecrement
                        or Bpftrace.Syntax.Expressions.UnaryOperator.PostIncrement or Bpftrace.Syntax.Expressions.UnaryOperator.PostDecrement,
                    Operand: Bpftrace.Syntax.Expressions.MapExpression map,
                } => map.Name,
                _ => null,
            })
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var maps = new MapTypeTracker(context, definedMaps);
        foreach (var probe in parse.Program.Items.OfType<Probe>())
        {
            var probeContext = attachPoints.Check(probe);
            new ProbeBodyChecker(context, probeContext, facts, maps).Check(probe);
        }

        // The one safety policy (after macro expansion), as KG30xx diagnostics.
        foreach (var diagnostic in SemanticDiagnostics.FromSafety(Safety.SafetyPolicy.Review(parse, context.Options.Allowed, context.Options.EffectiveIncludeDirectories)))
        {
            context.Report(diagnostic.Descriptor, diagnostic.Span, diagnostic.Message, diagnostic.Hint);
        }

        var diagnostics = parse.Diagnostics
            .Concat(context.Diagnostics.OrderBy(d => d.Span.Start))
            .ToImmutableArray();
        return new CheckResult(parse, diagnostics, catalog.Source);
    }
}
