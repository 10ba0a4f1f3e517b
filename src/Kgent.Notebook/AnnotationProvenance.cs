using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;

namespace Kgent.Notebook;

/// <summary>Where an annotation line of a program came from: the contract of the probe it sits in, and the clause.</summary>
public sealed record AnnotationSource(int Line, string Contract, string Clause);

/// <summary>Finds, for each <c>assume</c>/<c>assert</c> line, the contract of the probe that holds it. The comprehension
/// engine writes a probe's <c>assume</c>s in the order of its hook's preconditions, so the n-th one is the n-th
/// precondition (instantiated for the probe type); an <c>assert</c> is traced to the contract notes whose subject it
/// mentions (units, byte order).</summary>
public static class AnnotationProvenance
{
    public static ImmutableArray<AnnotationSource> Of(string program, ContractSet contracts)
    {
        var parse = BpftraceParser.Parse(program, "annotated.bt");
        if (parse.HasErrors)
        {
            return [];
        }

        var lines = parse.Source.Text.Split('\n');
        var sources = ImmutableArray.CreateBuilder<AnnotationSource>();
        foreach (var probe in parse.Program.Probes)
        {
            if (probe.AttachPoints.IsEmpty || contracts.Find(probe.AttachPoints[0]) is not { } contract)
            {
                continue;
            }

            var first = parse.Source.GetLinePosition(probe.Body.Span.Start).Line;
            var last = parse.Source.GetLinePosition(probe.Body.Span.End).Line;
            var assumes = 0;
            for (var line = first; line <= last && line <= lines.Length; line++)
            {
                var text = lines[line - 1].Trim();
                if (text.StartsWith("assume(", StringComparison.Ordinal))
                {
                    var index = assumes++;
                    sources.Add(new AnnotationSource(line, contract.Title, index < contract.Pre.Length ? $"precondition {contract.Pre[index].Text}" : "assumption"));
                }
                else if (text.StartsWith("assert(", StringComparison.Ordinal))
                {
                    var notes = contract.Notes.Where(n => text.Contains(n.Subject, StringComparison.Ordinal)).Select(n => $"{n.Subject}: {n.Text}").ToArray();
                    sources.Add(new AnnotationSource(line, contract.Title, notes.Length > 0 ? "note " + string.Join("; ", notes) : "assertion"));
                }
            }
        }

        return sources.ToImmutable();
    }
}
