using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Semantics;

/// <summary>Checks each attach point against the catalog (does the tracepoint, function, binary or event exist;
/// can this kernel attach the probe type) and builds the <see cref="ProbeContext"/> the body is checked in.</summary>
internal sealed class AttachPointChecker(CheckContext context)
{
    private static readonly string[] LibraryDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    private readonly ProbeCatalog catalog = context.Catalog;
    private readonly HashSet<ProbeType> reportedUnavailable = [];
    private bool seenBegin;
    private bool seenEnd;

    public ProbeContext Check(Probe probe)
    {
        var probeContext = new ProbeContext();
        reportedUnavailable.Clear();
        foreach (var attachPoint in probe.AttachPoints)
        {
            var info = ProbeTypeInfo.All.FirstOrDefault(i => i.Type == attachPoint.Type);
            if (attachPoint.Type == ProbeType.Unknown
                || (info is not null && (attachPoint.Parts.Length < info.MinParts || attachPoint.Parts.Length > info.MaxParts)))
            {
                // Unknown or malformed: the parser has reported it, and there is nothing here to look up.
                probeContext.FullyResolved = false;
                continue;
            }

            probeContext.Types.Add(attachPoint.Type);
            CheckHostSupport(attachPoint);
            switch (attachPoint.Type)
            {
                case ProbeType.Begin:
                    Special(attachPoint, ref seenBegin);
                    break;
                case ProbeType.End:
                    Special(attachPoint, ref seenEnd);
                    break;
                case ProbeType.Tracepoint:
                    Tracepoint(attachPoint, probeContext);
                    break;
                case ProbeType.RawTracepoint:
                    RawTracepoint(attachPoint, probeContext);
                    break;
                case ProbeType.Kprobe or ProbeType.Kretprobe or ProbeType.Kfunc or ProbeType.Kretfunc:
                    KernelFunction(attachPoint, probeContext);
                    break;
                case ProbeType.Uprobe or ProbeType.Uretprobe or ProbeType.Usdt:
                    UserBinary(attachPoint);
                    probeContext.FullyResolved = false;
                    break;
                case ProbeType.Software or ProbeType.Hardware:
                    PerfEvent(attachPoint);
                    break;
                case ProbeType.Profile or ProbeType.Interval:
                    Rate(attachPoint);
                    break;
            }
        }

        return probeContext;
    }

    private void CheckHostSupport(AttachPoint attachPoint)
    {
        var support = catalog.Host.SupportOf(attachPoint.Type);
        if (support.Supported || !reportedUnavailable.Add(attachPoint.Type))
        {
            return;
        }

        var name = ProbeTypeInfo.Of(attachPoint.Type).Name;
        var alternatives = Alternatives(attachPoint);
        context.Report(SemanticDiagnostics.ProbeTypeUnavailable, attachPoint.Span,
            $"{name} probes cannot attach on this kernel ({catalog.Host.KernelRelease}): {support.Reason}",
            alternatives.Count > 0
                ? $"use a tracepoint instead, e.g. {string.Join(", ", alternatives.Take(3).Select(a => "tracepoint:" + a))}"
                : attachPoint.Type is ProbeType.Kprobe or ProbeType.Kretprobe or ProbeType.Kfunc or ProbeType.Kretfunc
                    ? "use a tracepoint instead ('kgent probes tracepoint:*WORD*' lists them)"
                    : "see 'kgent probes --host' for the probe types this kernel supports");
    }

    /// <summary>Tracepoints whose event names share the function's stem: kprobe:do_sys_openat2 → syscalls:sys_enter_openat2.</summary>
    private List<string> Alternatives(AttachPoint attachPoint)
    {
        if (attachPoint.Type is not (ProbeType.Kprobe or ProbeType.Kretprobe or ProbeType.Kfunc or ProbeType.Kretfunc) || attachPoint.Parts.Length == 0)
        {
            return [];
        }

        var function = FunctionName(attachPoint);
        var stem = function;
        foreach (var prefix in new[] { "__x64_sys_", "__arm64_sys_", "__se_sys_", "__do_sys_", "do_sys_", "ksys_", "sys_", "__", "do_" })
        {
            if (stem.StartsWith(prefix, StringComparison.Ordinal) && stem.Length > prefix.Length + 2)
            {
                stem = stem[prefix.Length..];
                break;
            }
        }

        if (stem.Contains('*') || stem.Length < 3)
        {
            return [];
        }

        var entry = attachPoint.Type is ProbeType.Kretprobe or ProbeType.Kretfunc ? "sys_exit_" : "sys_enter_";
        return [.. catalog.TracepointNames
            .Select(n => (Name: n, Event: EventOf(n)))
            .Where(t => t.Event == stem || t.Event == entry + stem || t.Event == function || t.Event.EndsWith("_" + stem, StringComparison.Ordinal) && !t.Event.StartsWith(entry == "sys_enter_" ? "sys_exit_" : "sys_enter_", StringComparison.Ordinal))
            .OrderBy(t => t.Event == entry + stem ? 0 : t.Event == stem ? 1 : 2)
            .Select(t => t.Name)];
    }

    private void Special(AttachPoint attachPoint, ref bool seen)
    {
        if (seen && !context.Options.Has("multiple-begin-end"))
        {
            context.Report(SemanticDiagnostics.DuplicateSpecialProbe, attachPoint.Span,
                $"more than one {attachPoint.Text} probe", $"merge the two {attachPoint.Text} blocks into one");
        }

        seen = true;
    }

    private void Tracepoint(AttachPoint attachPoint, ProbeContext probeContext)
    {
        if (attachPoint.Parts.Length != 2)
        {
            probeContext.FullyResolved = false;
            return;
        }

        var (category, @event) = (Unquote(attachPoint.Parts[0]), Unquote(attachPoint.Parts[1]));
        if (catalog.TracepointCount == 0)
        {
            probeContext.FullyResolved = false;
            return;
        }

        if (attachPoint.HasWildcard)
        {
            var matches = catalog.MatchTracepoints(category, @event).ToList();
            if (matches.Count == 0)
            {
                context.Report(SemanticDiagnostics.WildcardMatchesNothing, attachPoint.Span,
                    $"no tracepoint matches '{category}:{@event}'", "list candidates with: kgent probes 'tracepoint:*WORD*'");
                probeContext.FullyResolved = false;
            }

            probeContext.Tracepoints.AddRange(matches);
            return;
        }

        var format = catalog.FindTracepoint(category, @event);
        if (format is not null)
        {
            probeContext.Tracepoints.Add(format);
            return;
        }

        probeContext.FullyResolved = false;
        if (!catalog.TracepointCategories.Contains(category))
        {
            var sameEvent = catalog.TracepointNames.FirstOrDefault(n => EventOf(n) == @event);
            var closest = (sameEvent is null ? null : sameEvent[..sameEvent.IndexOf(':')]) ?? Bpftrace.Diagnostics.Suggestions.Closest(category, catalog.TracepointCategories);
            context.Report(SemanticDiagnostics.UnknownTracepointCategory, PartSpan(attachPoint, 0),
                $"tracepoint category '{category}' does not exist on this kernel",
                closest is null ? "list categories with: kgent probes 'tracepoint:*'" : $"did you mean 'tracepoint:{closest}:{@event}'?",
                closest is not null && catalog.FindTracepoint(closest, @event) is not null ? new Bpftrace.Diagnostics.TextFix(PartSpan(attachPoint, 0), closest, Bpftrace.Diagnostics.TextFix.Probe) : null);
            return;
        }

        var inCategory = catalog.TracepointEvents(category).ToList();
        var suggestion = Bpftrace.Diagnostics.Suggestions.Closest(@event, inCategory);
        var elsewhere = suggestion is null ? catalog.TracepointNames.FirstOrDefault(n => EventOf(n) == @event) : null;
        context.Report(SemanticDiagnostics.UnknownTracepoint, PartSpan(attachPoint, 1),
            $"tracepoint '{category}:{@event}' does not exist on this kernel",
            suggestion is not null ? $"did you mean 'tracepoint:{category}:{suggestion}'?"
            : elsewhere is not null ? $"did you mean 'tracepoint:{elsewhere}'?"
            : $"list the {inCategory.Count} events of '{category}' with: kgent probes 'tracepoint:{category}:*'",
            suggestion is null ? null : new Bpftrace.Diagnostics.TextFix(PartSpan(attachPoint, 1), suggestion, Bpftrace.Diagnostics.TextFix.Probe));
    }

    private void RawTracepoint(AttachPoint attachPoint, ProbeContext probeContext)
    {
        probeContext.FullyResolved = false;
        var @event = Unquote(attachPoint.Parts[^1]);
        if (catalog.TracepointCount == 0 || attachPoint.HasWildcard || catalog.HasTracepointEvent(@event))
        {
            return;
        }

        var suggestion = Bpftrace.Diagnostics.Suggestions.Closest(@event, catalog.TracepointNames.Select(EventOf).Distinct());
        context.Report(SemanticDiagnostics.UnknownTracepoint, PartSpan(attachPoint, attachPoint.Parts.Length - 1),
            $"raw tracepoint '{@event}' does not exist on this kernel", suggestion is null ? null : $"did you mean 'rawtracepoint:{suggestion}'?");
    }

    private void KernelFunction(AttachPoint attachPoint, ProbeContext probeContext)
    {
        var btf = catalog.Btf;
        if (btf is null || attachPoint.Parts.Length == 0)
        {
            probeContext.FullyResolved = false;
            return;
        }

        var function = FunctionName(attachPoint);
        if (attachPoint.HasWildcard)
        {
            probeContext.FullyResolved = false;
            // kallsyms-only names such as lookup_fast.constprop.0 are not in BTF; only kprobes can match them.
            var pattern = new WildcardPattern(function);
            var kallsymsOnly = function.Contains('.') && attachPoint.Type is ProbeType.Kprobe or ProbeType.Kretprobe;
            if (!kallsymsOnly && !btf.Functions.Any(f => pattern.IsMatch(f.Name)))
            {
                context.Report(SemanticDiagnostics.WildcardMatchesNothing, attachPoint.Span,
                    $"no kernel function matches '{function}'", "list candidates with: kgent probes --all 'kfunc:*WORD*'");
            }

            return;
        }

        var found = btf.FindFunction(function);
        if (found is null)
        {
            probeContext.FullyResolved = false;
            var suggestion = Bpftrace.Diagnostics.Suggestions.Closest(function, btf.Functions.Select(f => f.Name));
            context.Report(SemanticDiagnostics.UnknownKernelFunction, PartSpan(attachPoint, attachPoint.Parts.Length - 1),
                $"kernel function '{function}' does not exist on this kernel (not in its BTF)",
                suggestion is not null ? $"did you mean '{suggestion}'?" : "it may be inlined or static; list candidates with: kgent probes --all 'kprobe:*WORD*'");
            return;
        }

        if (btf.PrototypeOf(found) is { } prototype)
        {
            probeContext.Functions.Add((function, prototype));
        }
    }

    private void UserBinary(AttachPoint attachPoint)
    {
        if (attachPoint.Parts.Length < 2)
        {
            return;
        }

        var target = Unquote(attachPoint.Parts[0]);
        if (target.Contains('*') || ResolveUserBinary(target) is not null)
        {
            return;
        }

        context.Report(SemanticDiagnostics.UprobeTargetMissing, PartSpan(attachPoint, 0),
            target.Contains('/') ? $"uprobe target file '{target}' does not exist or is not executable"
                : $"no library named '{target}' in {string.Join(", ", LibraryDirectories.Take(2))}",
            target.Contains('/') ? "give the full path of an installed binary or library" : "give the library's full path, e.g. /lib/x86_64-linux-gnu/libc.so.6");
    }

    internal static string? ResolveUserBinary(string target)
    {
        if (target.Contains('/'))
        {
            return File.Exists(target) ? target : null;
        }

        foreach (var directory in LibraryDirectories.Where(Directory.Exists))
        {
            foreach (var candidate in new[] { $"lib{target}.so", target, $"{target}.so" })
            {
                var exact = Path.Combine(directory, candidate);
                if (File.Exists(exact))
                {
                    return exact;
                }

                var versioned = Directory.EnumerateFiles(directory, candidate + ".*").FirstOrDefault();
                if (versioned is not null)
                {
                    return versioned;
                }
            }
        }

        return null;
    }

    private void PerfEvent(AttachPoint attachPoint)
    {
        var @event = Unquote(attachPoint.Parts[0]);
        var known = attachPoint.Type == ProbeType.Software ? PerfEvents.Software : PerfEvents.Hardware;
        if (!known.Contains(@event))
        {
            var suggestion = Bpftrace.Diagnostics.Suggestions.Closest(@event, known);
            context.Report(SemanticDiagnostics.UnknownPerfEvent, PartSpan(attachPoint, 0),
                $"unknown {ProbeTypeInfo.Of(attachPoint.Type).Name} event '{@event}'",
                suggestion is not null ? $"did you mean '{suggestion}'?" : $"known events: {string.Join(", ", known)}");
        }
    }

    private void Rate(AttachPoint attachPoint)
    {
        if (attachPoint.Parts.Length != 2)
        {
            return;
        }

        var unit = attachPoint.Parts[0];
        var units = attachPoint.Type == ProbeType.Profile ? new[] { "hz", "s", "ms", "us" } : ["s", "ms", "us", "hz"];
        if (!units.Contains(unit))
        {
            var suggestion = Bpftrace.Diagnostics.Suggestions.Closest(unit, units);
            context.Report(SemanticDiagnostics.InvalidProbeRate, PartSpan(attachPoint, 0),
                $"'{unit}' is not a rate unit", suggestion is not null ? $"did you mean '{suggestion}'? (units: {string.Join(", ", units)})" : $"units: {string.Join(", ", units)}");
        }
        else if (!ulong.TryParse(attachPoint.Parts[1], out var rate) || rate == 0)
        {
            context.Report(SemanticDiagnostics.InvalidProbeRate, PartSpan(attachPoint, 1),
                $"'{attachPoint.Parts[1]}' is not a positive whole number", $"e.g. {ProbeTypeInfo.Of(attachPoint.Type).Name}:{unit}:99");
        }
    }

    internal static string FunctionName(AttachPoint attachPoint)
    {
        var function = Unquote(attachPoint.Parts[^1]);
        var plus = function.IndexOf('+');
        return plus > 0 ? function[..plus] : function;
    }

    private static string Unquote(string part) => part.Length >= 2 && part[0] == '"' && part[^1] == '"' ? part[1..^1] : part;

    /// <summary>The span of part <paramref name="index"/> of the attach point, for carets under just that part.</summary>
    private static TextSpan PartSpan(AttachPoint attachPoint, int index)
    {
        var offset = attachPoint.Text.IndexOf(':');
        for (var i = 0; i < index && offset >= 0; i++)
        {
            offset = attachPoint.Text.IndexOf(':', offset + 1);
        }

        if (offset < 0)
        {
            return attachPoint.Span;
        }

        var start = offset + 1;
        var end = attachPoint.Text.IndexOf(':', start);
        end = end < 0 ? attachPoint.Text.Length : end;
        return new TextSpan(attachPoint.Span.Start + start, Math.Max(1, end - start));
    }

    /// <summary>The event of a tracepoint's name: <c>sched_switch</c> of <c>sched:sched_switch</c>.</summary>
    private static string EventOf(string name) => name[(name.IndexOf(':') + 1)..];
}
