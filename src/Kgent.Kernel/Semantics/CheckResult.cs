using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Kernel.Semantics;

/// <summary>The result of checking one program: the parse and every diagnostic, syntax first, in source order.</summary>
public sealed record CheckResult(ParseResult Parse, ImmutableArray<Diagnostic> Diagnostics, string CatalogSource)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);

    /// <summary>The errors that make proving anything about the program pointless (symbex, annotate and the intent check
    /// refuse it): every error except this host's missing probe types, since the program may be right on another kernel.</summary>
    public IEnumerable<Diagnostic> BlockingErrors => Errors.Where(e => !SemanticDiagnostics.IsHostLimitation(e));
}
