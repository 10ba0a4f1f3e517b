using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Libbpf.Lowering;
using Kgent.Kernel.Symbolic;

namespace Kgent.Kernel.Libbpf.Symbolic;

/// <summary>What Kgent's symbolic verifier concluded about a C program's <c>assert</c>s. <see cref="Result"/> is on the
/// C program's lines and text (it was proved about <see cref="Lowered"/>, the same program line for line); when the
/// program did not compile, has errors or uses a construct Kgent does not model, <see cref="Problems"/> say so and
/// nothing was proved.</summary>
public sealed record CSymbolicResult(SourceText Source, ImmutableArray<Diagnostic> Problems, LoweredC? Lowered, SymbolicResult? Result)
{
    /// <summary>Every assertion proved, on every path, and none failing; false whenever something was not checked.</summary>
    public bool IsVerified => Problems.IsEmpty && Result is { IsVerified: true };

    /// <summary>True when the program was read and explored (whatever the verdicts).</summary>
    public bool WasChecked => Problems.IsEmpty && Result is not null;
}
