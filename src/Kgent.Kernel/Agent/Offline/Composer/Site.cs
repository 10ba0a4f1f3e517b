using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.KernelInfo.Tracepoints;

namespace Kgent.Kernel.Agent.Offline.Composer;

/// <summary>A hook a composed program attaches to: its attach point, the condition that selects the event there
/// (<c>args->newstate == 2</c>), whether the event's system-call level requires it, and the tracepoint's format (null for
/// a kernel function).</summary>
internal sealed record Site(string AttachPoint, string? Condition, bool Required, TracepointFormat? Format)
{
    public static Site Of(IntentHook hook, ProbeCatalog? catalog) =>
        new(hook.AttachPoint, hook.Condition, hook.Required, FormatOf(hook.AttachPoint, catalog));

    public bool IsTracepoint => AttachPoint.StartsWith("tracepoint:", StringComparison.Ordinal);

    /// <summary>Where in a call the hook sees it: "enter" (arguments), "exit" (the result) or "" (not a call).</summary>
    public string Phase => AttachPoint.Contains(":sys_enter", StringComparison.Ordinal) || AttachPoint.StartsWith("kprobe:", StringComparison.Ordinal) ? "enter"
        : AttachPoint.Contains(":sys_exit", StringComparison.Ordinal) || AttachPoint.StartsWith("kretprobe:", StringComparison.Ordinal) ? "exit"
        : string.Empty;

    public bool Has(string field) => Format?.FindField(field) is not null;

    /// <summary>The first expression that denotes a role on this hook, or null when Kgent does not know one.</summary>
    public Term? Resolve(string role, string? qualifier) =>
        FieldRoles.Patterns(role, qualifier, AttachPoint, Format).Select(p => Term.Of(p, Format, qualifier)).FirstOrDefault(t => t is not null);

    private static TracepointFormat? FormatOf(string attachPoint, ProbeCatalog? catalog) =>
        catalog is not null && attachPoint.Split(':') is ["tracepoint", var category, var name] ? catalog.FindTracepoint(category, name) : null;
}
