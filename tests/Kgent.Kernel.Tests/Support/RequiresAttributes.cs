namespace Kgent.Kernel.Tests.Support;

/// <summary>A fact that runs against the real bpftrace; skipped, with the reason, only when bpftrace or root is absent.</summary>
public sealed class BpftraceFactAttribute : FactAttribute
{
    public BpftraceFactAttribute()
    {
        Skip = Host.MissingBpftraceReason;
    }
}

/// <summary>A theory over the real bpftrace; skipped, with the reason, only when bpftrace or root is absent.</summary>
public sealed class BpftraceTheoryAttribute : TheoryAttribute
{
    public BpftraceTheoryAttribute()
    {
        Skip = Host.MissingBpftraceReason ?? Host.MissingInstalledToolsReason;
    }
}

/// <summary>A theory over the installed tools; skipped, with the reason, only when none are installed.</summary>
public sealed class InstalledToolsTheoryAttribute : TheoryAttribute
{
    public InstalledToolsTheoryAttribute()
    {
        Skip = Host.MissingInstalledToolsReason;
    }
}

/// <summary>A fact over the installed tools; skipped, with the reason, only when none are installed.</summary>
public sealed class InstalledToolsFactAttribute : FactAttribute
{
    public InstalledToolsFactAttribute()
    {
        Skip = Host.MissingInstalledToolsReason;
    }
}
