using System.Collections.Frozen;
using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Objects;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Safety;

namespace Kgent.Kernel.Libbpf.Check;

/// <summary>The semantic check of a compiled C program against this kernel's catalog, on the object clang produced (so
/// macros such as <c>BPF_PROG</c> and <c>SEC</c> are already expanded): every program's section names a hook the kernel has
/// and can attach, a tracepoint program's context struct is that tracepoint's, a program calling GPL-only helpers says
/// GPL, and no unsafe helper is called unless allowed. Diagnostics point at the <c>SEC("...")</c> they are about.</summary>
public static class CProgramChecker
{
    /// <summary>Helpers the kernel lets only GPL-compatible programs call (<c>gpl_only</c> in their prototypes), among those
    /// tracing programs use: probe_read and its user/kernel/str forms, trace_printk, perf_event_output,
    /// get_current_task, probe_write_user, override_return.</summary>
    private static readonly FrozenSet<int> GplOnly = FrozenSet.ToFrozenSet([4, 45, 112, 113, 114, 115, 6, 25, 35, 36, 58]);

    public static CCheckResult Check(CBuild build, ProbeCatalog? catalog, SafetyAllowance? allowance = null)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        diagnostics.AddRange(build.Diagnostics);
        if (build.Object is { } bpfObject)
        {
            diagnostics.AddRange(CheckObject(build.Source, bpfObject, catalog, allowance ?? SafetyAllowance.None));
        }
        else if (build.Problem is { } problem)
        {
            diagnostics.Add(new Diagnostic(CDiagnostics.ToolMissing, new TextSpan(0, 0), problem, $"install the toolchain: {Toolchain.CToolchain.InstallCommand}"));
        }

        var ordered = diagnostics.OrderBy(d => d.Span.Start).ThenBy(d => d.Code, StringComparer.Ordinal).ToImmutableArray();
        return new CCheckResult(build.Source, ordered, catalog?.Source ?? "none");
    }

    private static IEnumerable<Diagnostic> CheckObject(SourceText source, BpfObjectFile bpfObject, ProbeCatalog? catalog, SafetyAllowance allowance)
    {
        if (bpfObject.Programs.IsEmpty)
        {
            yield return new Diagnostic(CDiagnostics.NoPrograms, new TextSpan(0, 0), "the program defines no BPF program: no function is in a SEC(\"...\") section",
                "put the handler in a section naming its hook, e.g. SEC(\"tp/syscalls/sys_enter_openat\") int handle(struct trace_event_raw_sys_enter *ctx)");
            yield break;
        }

        foreach (var program in bpfObject.Programs)
        {
            var section = ProgramSection.Parse(program.Section);
            var span = SectionSpan(source, program);
            if (section.Type == ProbeType.Unknown)
            {
                var closest = Suggestions.Closest(program.Section.Split('/')[0], ProgramSection.Known.Select(k => k.Prefix));
                yield return new Diagnostic(CDiagnostics.UnknownSection, span, $"SEC(\"{program.Section}\") is not a program type libbpf knows",
                    closest is null ? "use tp/CATEGORY/EVENT, raw_tp/EVENT or kprobe/FUNCTION" : $"did you mean '{closest}/…'?");
                continue;
            }

            if (catalog is null || !section.Checked)
            {
                if (!section.Checked)
                {
                    yield return new Diagnostic(CDiagnostics.Unchecked, span, $"Kgent does not check {section.Display} against the kernel; the kernel will");
                }

                continue;
            }

            foreach (var diagnostic in CheckHook(section, program, span, catalog, bpfObject.Btf))
            {
                yield return diagnostic;
            }
        }

        var gpl = bpfObject.License is { } license && IsGplCompatible(license);
        if (!gpl && bpfObject.Programs.SelectMany(p => p.Instructions).FirstOrDefault(i => i.IsHelperCall && GplOnly.Contains(i.Immediate)) is { IsHelperCall: true })
        {
            var licenseSpan = Find(source, "SEC(\"license\")") ?? new TextSpan(0, 0);
            yield return new Diagnostic(CDiagnostics.License, licenseSpan,
                bpfObject.License is null ? "the program has no license, and calls helpers the kernel lets only GPL programs call"
                    : $"the license \"{bpfObject.License}\" is not GPL-compatible, and the program calls helpers the kernel lets only GPL programs call",
                "add: char LICENSE[] SEC(\"license\") = \"GPL\";");
        }

        foreach (var (program, call, helper, allowed) in CSafetyPolicy.Review(bpfObject, allowance))
        {
            if (!allowed)
            {
                var span = HelperSpan(source, program, call, helper) ?? SectionSpan(source, program);
                yield return new Diagnostic(CDiagnostics.UnsafeHelper, span, $"{helper.Name} {helper.Effect}; Kgent refuses it unless you allow it",
                    $"remove the call, or allow it explicitly: --allow-unsafe {helper.Name}");
            }
        }
    }

    private static IEnumerable<Diagnostic> CheckHook(ProgramSection section, BpfProgramSection program, TextSpan span, ProbeCatalog catalog, BtfTypeGraph? btf)
    {
        switch (section.Type)
        {
            case ProbeType.Tracepoint when section.Category is null:
                yield return new Diagnostic(CDiagnostics.UnknownSection, span, $"SEC(\"{section.Name}\") needs a category and an event",
                    "write it as tp/CATEGORY/EVENT, e.g. tp/syscalls/sys_enter_openat");
                yield break;
            case ProbeType.Tracepoint:
                if (catalog.FindTracepoint(section.Category!, section.Target) is not { } format)
                {
                    var names = catalog.TracepointNames.Select(n => n.Replace(':', '/'));
                    var closest = Suggestions.Closest($"{section.Category}/{section.Target}", names);
                    yield return new Diagnostic(CDiagnostics.UnknownHook, span, $"this kernel has no tracepoint {section.Category}:{section.Target}",
                        closest is null ? "'kgent probes tracepoint:*WORD*' lists the tracepoints" : $"did you mean 'tp/{closest}'?");
                    yield break;
                }

                if (ContextMismatch(format, program, btf) is { } problem)
                {
                    yield return new Diagnostic(CDiagnostics.ContextMismatch, span, problem.Message, problem.Hint);
                }

                break;
            case ProbeType.RawTracepoint:
                if (!catalog.HasTracepointEvent(section.Target))
                {
                    var closest = Suggestions.Closest(section.Target, catalog.TracepointNames.Select(n => n[(n.IndexOf(':', StringComparison.Ordinal) + 1)..]));
                    yield return new Diagnostic(CDiagnostics.UnknownHook, span, $"this kernel has no tracepoint named {section.Target} for a raw tracepoint",
                        closest is null ? "raw_tp/ takes the event's name without its category, e.g. raw_tp/sched_switch" : $"did you mean '{section.Name[..(section.Name.IndexOf('/') + 1)]}{closest}'?");
                }

                break;
            case ProbeType.Kprobe or ProbeType.Kretprobe or ProbeType.Kfunc or ProbeType.Kretfunc:
                if (!catalog.HasKernelSymbol(section.Target) && catalog.Btf is not null)
                {
                    var closest = Suggestions.Closest(section.Target, catalog.Btf.Functions.Select(f => f.Name));
                    yield return new Diagnostic(CDiagnostics.UnknownHook, span, $"this kernel has no function {section.Target}",
                        closest is null ? null : $"did you mean '{closest}'?");
                    yield break;
                }

                if (!catalog.Host.CanAttach(section.Type))
                {
                    var alternatives = KernelVerifier.TracepointAlternatives.For(section.Target, catalog);
                    var reason = catalog.Host.SupportOf(section.Type).Reason;
                    yield return new Diagnostic(CDiagnostics.CannotAttach, span,
                        $"{section.Display} cannot attach on this kernel: {(string.IsNullOrEmpty(reason) ? "it has no support for them" : reason)}",
                        alternatives.Count == 0 ? "use a tracepoint instead ('kgent probes tracepoint:*WORD*' lists them)"
                            : $"use a tracepoint instead: {string.Join(", ", alternatives.Select(a => "tp/" + (a.StartsWith("tracepoint:", StringComparison.Ordinal) ? a["tracepoint:".Length..] : a).Replace(':', '/')))}");
                }

                break;
        }
    }

    /// <summary>A tracepoint program's context must be the tracepoint's own record (<see cref="CContextStruct"/>):
    /// <c>trace_event_raw_sys_enter</c> or <c>_exit</c> for syscalls, else a struct whose members sit where the tracepoint's
    /// format puts fields of the same names. A program taking <c>void *</c> or a scalar pointer is not checked (it reads the
    /// record by hand).</summary>
    private static (string Message, string Hint)? ContextMismatch(KernelInfo.Tracepoints.TracepointFormat format, BpfProgramSection program, BtfTypeGraph? btf)
    {
        if (program.ContextType is not { } type)
        {
            return null;
        }

        if (format.Category == "syscalls")
        {
            var expected = CContextStruct.Syscall(format);
            return expected is null || type == expected
                ? null
                : ($"{program.Function} takes struct {type} *, but syscalls:{format.Event} passes struct {expected}",
                    $"declare it as int {program.Function}(struct {expected} *ctx)" + (expected.EndsWith("enter", StringComparison.Ordinal) ? " and read arguments from ctx->args[N]" : " and read the result from ctx->ret"));
        }

        if (btf?.FindComposite(type) is not { } composite || CContextStruct.Members(composite).Count == 0
            || CContextStruct.Misplaced(composite, format) is not { } misplaced)
        {
            return null;
        }

        var fields = CContextStruct.Fields(format);
        var field = fields.FirstOrDefault(f => f.Name == CContextStruct.FieldName(misplaced));
        return ($"{program.Function} takes struct {type} *, which is not the record of {format.Category}:{format.Event}: " +
                (field is null ? $"the tracepoint has no field {misplaced.Name}" : $"its {misplaced.Name} is at offset {misplaced.BitOffset / 8}, the tracepoint's at {field.Offset}"),
            $"use the tracepoint's own struct (its fields: {string.Join(", ", fields.Select(f => f.Name))}); vmlinux.h usually names it struct trace_event_raw_{format.Event} or its class's");
    }

    private static bool IsGplCompatible(string license) =>
        license is "GPL" or "GPL v2" or "GPL and additional rights" or "Dual BSD/GPL" or "Dual MIT/GPL" or "Dual MPL/GPL";

    /// <summary>The program's <c>SEC("...")</c> in the source, else its function's name, else the start.</summary>
    internal static TextSpan SectionSpan(SourceText source, BpfProgramSection program) =>
        Find(source, $"\"{program.Section}\"") is { } literal ? new TextSpan(literal.Start + 1, literal.Length - 2)
        : Find(source, program.Function) ?? new TextSpan(0, 0);

    private static TextSpan? HelperSpan(SourceText source, BpfProgramSection program, BpfInstruction call, UnsafeHelper helper)
    {
        if (program.LineOf(call.Index) is not { Line: > 0 } line || line.Line > source.LineCount)
        {
            return null;
        }

        var start = source.GetOffset(new LinePosition(line.Line, 1));
        var text = source.GetLineText(line.Line);
        var at = text[..CLineText.CodeEnd(text)].IndexOf(helper.Name, StringComparison.Ordinal);
        return at >= 0 ? new TextSpan(start + at, helper.Name.Length) : CLineText.Code(source, line.Line);
    }

    private static TextSpan? Find(SourceText source, string text)
    {
        var at = source.Text.IndexOf(text, StringComparison.Ordinal);
        return at < 0 ? null : new TextSpan(at, text.Length);
    }
}
