using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Safety;

namespace Kgent.Kernel.Libbpf.Verify;

/// <summary>Knobs of the kernel verifier stage for C programs: the unsafe helpers allowed by name, and the catalog the
/// program's hooks are checked against before anything is loaded.</summary>
public sealed record CVerifyOptions(SafetyAllowance? Allowed = null, ProbeCatalog? Catalog = null)
{
    public static CVerifyOptions Default { get; } = new();
}
