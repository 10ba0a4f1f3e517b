using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Libbpf.Check;

/// <summary>The result of checking one C program: clang's diagnostics, then Kgent's (hooks, context structs, license,
/// safety), in source order.</summary>
public sealed record CCheckResult(SourceText Source, ImmutableArray<Diagnostic> Diagnostics, string CatalogSource)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
